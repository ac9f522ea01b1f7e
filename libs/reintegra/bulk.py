"""Many rows in one statement, without SQLAlchemy's per-row bookkeeping where it costs most.

A payout batch writes hundreds of thousands of rows (payouts, ledger postings, earmarks,
outbox events). SQLAlchemy's Core executemany builds and processes a parameter dict per row,
which on SQLite costs twice what the database itself spends on the row. Here, on SQLite,
the statement is compiled once per table, columns and dialect, each value goes through its
column type's own bind processor (exactly what SQLAlchemy would do to it), and the rows go
to the driver's executemany as plain tuples.

On PostgreSQL with psycopg the same is done with named parameters (psycopg's executemany
sends the rows in one pipeline). Any other database runs the Core statement as before.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Iterable, Sequence

import sqlalchemy as sa

_PREPARED: dict[tuple, tuple | None] = {}  # (run, driver SQL, fields) or None
_UNSET = object()


def in_chunks(values: Iterable, size: int = 500):
    """Distinct values, sorted, `size` at a time: the lists for `column.in_(...)` when a batch
    asks about tens of thousands of ids (and the same rows come back in the same order)."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def insert_many(session, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows that all name the same columns."""
    if not rows:
        return
    columns = tuple(rows[0])
    prepared = _prepared(session, "insert", table, (), columns)
    if prepared is None:
        session.execute(table.insert(), rows)
        return
    _run(session, prepared, rows)


def update_many(session, table: sa.Table, keys: Sequence[str], rows: list[dict]) -> None:
    """Update one row per dict, found by the `keys` columns, setting its other columns (every
    dict names the same columns)."""
    if not rows:
        return
    values = tuple(c for c in rows[0] if c not in keys)
    prepared = _prepared(session, "update", table, tuple(keys), values)
    if prepared is None:
        session.execute(_update(table, tuple(keys), values),
                        [{**{f"k_{k}": row[k] for k in keys},
                          **{f"v_{c}": row[c] for c in values}} for row in rows])
        return
    _run(session, prepared, rows)


def _run(session, prepared: tuple, rows: Iterable[dict]) -> None:
    run, sql, fields = prepared
    run(session, sql, fields, rows)


def _run_positional(session, sql: str, fields: list, rows: Iterable[dict]) -> None:
    """SQLite: one tuple per row, in the statement's parameter order."""
    names = [key for key, _process in fields]
    pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    processed = [(index, _converted_once(process))
                 for index, (_key, process) in enumerate(fields) if process]
    if processed:
        tuples = []
        for row in rows:
            values = list(pick(row))
            for index, convert in processed:
                values[index] = convert(values[index])
            tuples.append(tuple(values))
    else:
        tuples = [pick(row) for row in rows]
    session.connection().exec_driver_sql(sql, tuples)


def _run_named(session, sql: str, fields: list, rows: Iterable[dict]) -> None:
    """psycopg: one dict of bind name → value per row."""
    plain = [(bind, key) for bind, key, process in fields if process is None]
    processed = [(bind, key, _converted_once(process))
                 for bind, key, process in fields if process is not None]
    params = []
    for row in rows:
        values = {bind: row[key] for bind, key in plain}
        for bind, key, convert in processed:
            values[bind] = convert(row[key])
        params.append(values)
    session.connection().exec_driver_sql(sql, params)


def _converted_once(process):
    """A column type's bind processor (dates, JSON) that converts a value the row before had
    too only once: a chunk's rows share one `created_at`, and mostly NULL leases."""
    last = [_UNSET, None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]
    return convert


def _update(table: sa.Table, keys: tuple[str, ...], values: tuple[str, ...]):
    return (table.update()
            .where(*[table.c[k] == sa.bindparam(f"k_{k}") for k in keys])
            .values({c: sa.bindparam(f"v_{c}") for c in values}))


def _prepared(session, kind: str, table: sa.Table, keys: tuple[str, ...],
              values: tuple[str, ...]) -> tuple | None:
    """How to run it (positional or named), the driver-level SQL and each value's row key and
    bind processor (in parameter order where positional); None where the Core path must be
    used instead."""
    dialect = session.get_bind().dialect
    cache_key = (dialect.name, kind, table.name, keys, values)
    if cache_key not in _PREPARED:
        _PREPARED[cache_key] = _prepare(dialect, kind, table, keys, values)
    return _PREPARED[cache_key]


def _prepare(dialect, kind: str, table: sa.Table, keys: tuple[str, ...],
             values: tuple[str, ...]) -> tuple | None:
    if dialect.name == "sqlite":
        run = _run_positional
    elif dialect.name == "postgresql" and dialect.driver == "psycopg":
        run = _run_named
    else:
        return None
    if kind == "insert":
        # inline(): no RETURNING of the new rows' ids (PostgreSQL would ask for it row by row).
        compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(values))
        row_key = {c: c for c in values}
    else:
        compiled = _update(table, keys, values).compile(dialect=dialect)
        row_key = {**{f"k_{k}": k for k in keys}, **{f"v_{c}": c for c in values}}
    # A column filled in by a default (or any bind we were not given) stays with Core.
    binds = compiled.positiontup if compiled.positional else list(compiled.binds)
    if set(binds or ()) != set(row_key):
        return None

    def processor(bind: str):
        return table.c[row_key[bind]].type.dialect_impl(dialect).bind_processor(dialect)
    if run is _run_positional:
        return run, compiled.string, [(row_key[bind], processor(bind)) for bind in binds]
    return run, compiled.string, [(bind, row_key[bind], processor(bind)) for bind in binds]
