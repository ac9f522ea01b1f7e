"""Users, passwords and tokens, against a real (SQLite) gateway database."""
from datetime import timedelta

import pytest

from reintegra.contracts.errors import Conflict, InvalidInput
from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store
from gateway import auth
from gateway.tables import users


@pytest.fixture
def session(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.sqlite'}"
    upgrade("gateway", url)
    store = Store(url, source="gateway")
    with store.unit_of_work() as uow:
        yield uow.session
    store.dispose()


def test_passwords_are_stored_as_argon2id_hashes_never_in_clear(session):
    auth.create_user(session, "ana", "a long enough secret", "caseworker")
    stored = session.execute(users.select()).first().password_hash
    assert stored.startswith("$argon2id$") and "a long enough secret" not in stored


def test_a_token_speaks_for_its_user_until_it_expires(session):
    auth.create_user(session, "ana", "a long enough secret", "caseworker")
    answer = auth.login(session, "ana", "a long enough secret", timedelta(minutes=5))
    assert auth.caller_for_token(session, answer["token"]).role == "caseworker"
    expired = auth.login(session, "ana", "a long enough secret", timedelta(seconds=-1))
    with pytest.raises(auth.Unauthenticated):
        auth.caller_for_token(session, expired["token"])


def test_unknown_roles_short_passwords_and_taken_usernames_are_refused(session):
    with pytest.raises(InvalidInput):
        auth.create_user(session, "ana", "a long enough secret", "superuser")
    with pytest.raises(InvalidInput):
        auth.create_user(session, "ana", "short", "caseworker")
    auth.create_user(session, "ana", "a long enough secret", "caseworker")
    with pytest.raises(Conflict):
        auth.create_user(session, "ana", "another long secret", "auditor")
