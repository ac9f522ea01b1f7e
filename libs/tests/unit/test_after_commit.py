"""What only committed changes may do (count metrics) runs after the commit, never on a
rollback."""
import pytest

from reintegra.messaging.storage import Store, after_commit
from reintegra.messaging.tables import metadata


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'after_commit.sqlite'}", source="payments")
    metadata.create_all(store.engine)
    yield store
    store.dispose()


def test_a_callback_registered_on_the_session_runs_once_the_unit_of_work_commits(store):
    ran = []
    with store.unit_of_work() as uow:
        after_commit(uow.session, lambda: ran.append("first"))
        after_commit(uow.session, lambda: ran.append("second"))
        assert ran == []
        uow.commit()
        assert ran == ["first", "second"]
        uow.commit()  # a second commit of the same unit of work runs nothing again
    assert ran == ["first", "second"]


def test_a_callback_of_a_unit_of_work_left_without_commit_never_runs(store):
    ran = []
    with store.unit_of_work() as uow:
        after_commit(uow.session, lambda: ran.append("rolled back"))
    with store.unit_of_work() as uow:
        uow.commit()
    assert ran == []


def test_a_callback_of_a_failed_unit_of_work_never_runs(store):
    ran = []
    with pytest.raises(RuntimeError):
        with store.unit_of_work() as uow:
            after_commit(uow.session, lambda: ran.append("failed"))
            raise RuntimeError("the change was refused")
    assert ran == []
