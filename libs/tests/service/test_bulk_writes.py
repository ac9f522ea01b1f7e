"""Bulk inserts and updates store exactly what SQLAlchemy's own statements would store."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from reintegra.bulk import _prepared, insert_many, update_many

metadata = sa.MetaData()
rows_table = sa.Table(
    "bulk_rows", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("part", sa.Integer, primary_key=True),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("body", sa.JSON, nullable=True),
    sa.Column("note", sa.String(20), nullable=True),
)
with_default = sa.Table(
    "bulk_defaults", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, default="new"),
)
AT = datetime(2026, 11, 22, 9, 30, 1, 123456, tzinfo=timezone.utc)


@pytest.fixture
def session(database_url):
    engine = sa.create_engine(database_url)
    metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def stored(session, table):
    return [tuple(r) for r in session.execute(sa.select(table).order_by(*table.primary_key))]


def stored_by_bulk_and_by_core(session, rows):
    """The rows as read back after `insert_many`, and after SQLAlchemy Core's own insert."""
    insert_many(session, rows_table, rows)
    by_bulk = stored(session, rows_table)
    session.execute(rows_table.delete())
    session.execute(rows_table.insert(), rows)
    return by_bulk, stored(session, rows_table)


def test_inserted_rows_read_back_like_rows_inserted_by_core(session):
    rows = [dict(id=f"r{n}", part=n % 2, amount=10**12 + n, at=AT + timedelta(seconds=n),
                 body={"n": n, "names": ["é", None]}, note=None if n % 3 else "x")
            for n in range(5)]
    by_bulk, by_core = stored_by_bulk_and_by_core(session, rows)
    assert by_bulk == by_core
    assert by_bulk[0][4] == {"n": 0, "names": ["é", None]}


def test_updates_find_rows_by_their_keys_and_set_only_the_named_columns(session):
    insert_many(session, rows_table, [dict(id="a", part=0, amount=1, at=AT, body=None, note="keep"),
                                      dict(id="a", part=1, amount=2, at=AT, body=None, note="keep")])
    update_many(session, rows_table, ("id", "part"),
                [dict(id="a", part=1, amount=20, at=None, body=[1, 2])])
    assert stored(session, rows_table) == [("a", 0, 1, AT.replace(tzinfo=None) if
                                            session.get_bind().dialect.name == "sqlite" else AT,
                                            None, "keep"),
                                           ("a", 1, 20, None, [1, 2], "keep")]


def test_a_column_left_to_its_default_still_gets_it(session):
    insert_many(session, with_default, [dict(id="d1"), dict(id="d2")])
    assert stored(session, with_default) == [("d1", "new"), ("d2", "new")]


def test_nothing_to_write_writes_nothing(session):
    insert_many(session, rows_table, [])
    update_many(session, rows_table, ("id",), [])
    assert stored(session, rows_table) == []


def test_rows_sharing_one_value_object_each_store_it(session):
    # The driver path converts a value the row before had too only once.
    body = {"same": "dict"}
    rows = [dict(id=f"s{n}", part=0, amount=n, at=AT if n < 3 else None, body=body, note=None)
            for n in range(5)]
    by_bulk, by_core = stored_by_bulk_and_by_core(session, rows)
    assert by_bulk == by_core


def test_both_databases_take_the_driver_path_not_the_core_statement(session):
    columns = ("id", "part", "amount", "at", "body", "note")
    assert _prepared(session, "insert", rows_table, (), columns) is not None
    assert _prepared(session, "update", rows_table, ("id", "part"), ("amount",)) is not None
    # A column left to its Python default needs Core, which fills it in.
    assert _prepared(session, "insert", with_default, (), ("id",)) is None
