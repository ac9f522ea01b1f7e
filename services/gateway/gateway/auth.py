"""Login, bearer tokens and the caller's identity.

Passwords are hashed with Argon2id; tokens are random, stored only as SHA-256 hashes, and
expire. Once a request is authenticated, the caller's id and role are put in the worker's
context data, which nameko sends along with every RPC the request makes, so services can
enforce separation of duties and record who did what.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from nameko.extensions import DependencyProvider

from reintegra.contracts.errors import ApiError, Conflict, Forbidden, InvalidInput
from reintegra.messaging.dependencies import ACTOR_ID, ACTOR_ROLE, Database

from gateway.access import ROLES
from gateway.tables import tokens, users

_hasher = PasswordHasher()  # argon2-cffi's default type is Argon2id
# Verifying against this when the user does not exist keeps login timing the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class Unauthenticated(ApiError):
    status, code = 401, "unauthenticated"


@dataclass(frozen=True)
class Caller:
    id: str
    username: str
    role: str


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session, username: str, password: str, role: str) -> str:
    if role not in ROLES:
        raise InvalidInput("unknown role", fields={"role": [f"must be one of {', '.join(ROLES)}"]})
    if len(password) < 12:
        raise InvalidInput("password too short", fields={"password": ["at least 12 characters"]})
    if session.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise Conflict(f"user {username} exists")
    user_id = str(uuid.uuid4())
    session.execute(users.insert().values(id=user_id, username=username, role=role, active=True,
                                          password_hash=_hasher.hash(password), created_at=_now()))
    return user_id


def login(session, username: str, password: str, ttl: timedelta) -> dict:
    row = session.execute(sa.select(users).where(users.c.username == username,
                                                 users.c.active.is_(True))).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise Unauthenticated("wrong username or password")
    if row is None:
        raise Unauthenticated("wrong username or password")
    token, expires_at = secrets.token_urlsafe(32), _now() + ttl
    session.execute(tokens.insert().values(token_hash=_token_hash(token), user_id=row.id,
                                           expires_at=expires_at))
    return {"token": token, "role": row.role, "expires_at": expires_at.isoformat()}


def caller_for_token(session, token: str) -> Caller:
    row = session.execute(
        sa.select(users.c.id, users.c.username, users.c.role, tokens.c.expires_at)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == _token_hash(token), users.c.active.is_(True))).first()
    if row is None or _aware(row.expires_at) <= _now():
        raise Unauthenticated("missing, unknown or expired token")
    return Caller(row.id, row.username, row.role)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Authenticator:
    """Per-request: checks the bearer token and the role, then speaks for the caller."""

    def __init__(self, store, worker_ctx):
        self._store = store
        self._worker_ctx = worker_ctx

    def require(self, request, roles) -> Caller:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthenticated("missing bearer token")
        with self._store.unit_of_work() as uow:
            caller = caller_for_token(uow.session, header[len("Bearer "):].strip())
        if caller.role not in roles:
            raise Forbidden(f"role {caller.role} may not do this")
        self._worker_ctx.data[ACTOR_ID] = caller.id
        self._worker_ctx.data[ACTOR_ROLE] = caller.role
        return caller


class Authentication(DependencyProvider):
    """Shares the service's Database dependency (users and tokens live there)."""

    def setup(self):
        self.database = next(d for d in self.container.dependencies if isinstance(d, Database))

    def get_dependency(self, worker_ctx):
        return Authenticator(self.database.store, worker_ctx)
