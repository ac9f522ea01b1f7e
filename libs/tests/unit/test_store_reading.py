"""Reads that never take SQLite's write lock, so the outbox relay never holds up a service."""
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from reintegra.messaging.storage import Store
from reintegra.messaging.tables import metadata

RESERVED = {"reservation_id": "plan:p-1", "programme_id": "prog-1",
            "amount": {"amount": 100_000, "currency": "EUR"}}


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'reading.sqlite'}"
    store = Store(url, source="payments")
    metadata.create_all(store.engine)
    with store.unit_of_work() as uow:
        uow.publish_many([("budget_reserved", RESERVED), ("budget_released", RESERVED)])
        uow.commit()
    yield store
    store.dispose()


@pytest.fixture
def another_process_writing(store):
    """Another connection inside a write transaction, as a busy service is most of the time."""
    writer = sqlite3.connect(store.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE outbox SET attempts = attempts + 1")
    yield writer
    writer.execute("ROLLBACK")
    writer.close()


def answered_while_locked(ask):
    answers = []
    reader = threading.Thread(target=lambda: answers.append(ask()), daemon=True)
    reader.start()
    reader.join(timeout=10)  # a reader waiting for the write lock would wait 30 s
    return answers


def test_the_outbox_backlog_is_counted_while_another_process_holds_the_write_lock(
        store, another_process_writing):
    assert answered_while_locked(store.outbox_backlog) == [2]


def test_a_read_sees_what_was_committed_not_what_the_writer_has_not_committed_yet(
        store, another_process_writing):
    def attempts():
        with store.reading() as conn:
            return sorted(conn.execute(sa.text("SELECT attempts FROM outbox")).scalars())
    assert answered_while_locked(attempts) == [[0, 0]]


def test_a_unit_of_work_still_takes_the_write_lock_up_front(store):
    with store.unit_of_work() as uow:
        uow.session.execute(sa.text("SELECT 1"))
        other = sqlite3.connect(store.engine.url.database, isolation_level=None, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
