"""A service's database and the unit of work that makes the outbox and inbox atomic.

Why a per-process write lock: the database drivers (sqlite3, psycopg's C wait) block the
eventlet hub while they wait on a database lock. If one green thread paused inside a
transaction while another waited on that transaction's lock in C, the process would hang.
Transactions are short and never span network calls, so serialising them per process costs
little; concurrency between processes is left to the database's own locking.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from reintegra.bulk import insert_many
from reintegra.contracts import new_envelope
from reintegra.contracts.registry import validate_outgoing_data
from reintegra.messaging.tables import inbox, outbox


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_takes_the_write_lock_up_front(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_takes_the_write_lock_up_front(engine: sa.Engine) -> None:
    # BEGIN IMMEDIATE makes read-then-write transactions (balances, state machines) serialisable
    # across processes instead of failing late with "database is locked".
    @sa_event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _begin(conn):
        # A read that changes nothing (Store.reading) needs no write lock: in WAL mode it
        # sees a consistent snapshot beside the writer. Taking the lock anyway made the
        # service wait for the outbox relay's reads, in SQLite's busy sleeps of 1, 2, 5, 10 ms.
        deferred = conn.get_execution_options().get(_READING_ONLY)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


_READING_ONLY = "reintegra_reading_only"
_AFTER_COMMIT = "reintegra_after_commit"


def after_commit(session: Session, callback) -> None:
    """Run `callback` once the unit of work that owns `session` commits; never if it rolls
    back. For what must only count committed changes (metrics), from code that holds the
    session and not the unit of work (repositories)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


class UnitOfWork:
    """One transaction: the state change, the events it announces, the events it consumed.

    Use as `with db.unit_of_work() as uow: ...; uow.commit()`. Leaving without commit rolls back.
    """

    def __init__(self, sessions: sessionmaker, lock, source: str, actor: dict | None,
                 consumer: str | None, on_commit=None):
        self._sessions = sessions
        self._lock = lock
        self.source = source
        self.actor = actor
        self.consumer = consumer
        self._on_commit = on_commit
        self._published = 0
        self.session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        self._lock.acquire()
        self.session = self._sessions()
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.session.info.pop(_AFTER_COMMIT, None)
            self.session.rollback()
            self.session.close()
        finally:
            self._lock.release()

    def publish(self, event_type: str, data: dict, v: int = 1) -> str:
        """Record an event in the outbox; it leaves only if this transaction commits."""
        [event_id] = self.publish_many([(event_type, data)], v=v)
        return event_id

    def publish_many(self, events, v: int = 1) -> list[str]:
        """Record many (event_type, data) events in one multi-row insert (a payout batch
        announces one per payout); like `publish`, they leave only on commit."""
        at, rows = _now(), []
        for event_type, data in events:
            validate_outgoing_data(self.source, event_type, v, data)
            envelope = new_envelope(self.source, event_type, data, actor=self.actor, v=v).to_dict()
            rows.append(dict(event_id=envelope["event_id"], source=self.source,
                             event_type=event_type, body=envelope, created_at=at, attempts=0))
        if rows:
            insert_many(self.session, outbox, rows)
            self._published += len(rows)
        return [row["event_id"] for row in rows]

    def first_delivery(self, event_id: str) -> bool:
        """Claim an event for this consumer; False when it was already handled."""
        found = self.session.execute(sa.select(inbox.c.event_id).where(
            inbox.c.consumer == self.consumer, inbox.c.event_id == event_id)).first()
        if found:
            return False
        self.session.execute(inbox.insert().values(
            consumer=self.consumer, event_id=event_id, processed_at=_now()))
        return True

    def commit(self) -> None:
        self.session.commit()
        if self._published and self._on_commit:
            self._on_commit()
        self._published = 0
        for callback in self.session.info.pop(_AFTER_COMMIT, ()):
            callback()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """The long-lived half of a service's database: engine, sessions, the write lock."""

    def __init__(self, url: str, source: str):
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.lock = threading.RLock()
        self.source = source
        self.on_commit = None

    def unit_of_work(self, actor: dict | None = None, consumer: str | None = None) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.lock, self.source, actor, consumer, self.on_commit)

    @contextmanager
    def reading(self):
        """A connection for reads only, in a transaction that does not take SQLite's write
        lock (a deferred BEGIN: a snapshot beside the writer, in WAL mode), so a reader in
        another process (the outbox relay) never holds up the service's writes. Other
        databases read as usual."""
        with self.lock, self.engine.connect() as conn:
            yield conn.execution_options(**{_READING_ONLY: True})

    def ping(self) -> bool:
        with self.reading() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True

    def outbox_backlog(self) -> int:
        with self.reading() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(outbox)
                                .where(outbox.c.published_at.is_(None))).scalar_one()

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["Store", "UnitOfWork", "make_engine", "IntegrityError"]
