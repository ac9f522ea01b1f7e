"""Migration 0010 re-keys the postings by (operation id, posting id): every posting survives
the move both ways, and a posting stored twice is still refused."""
import pytest
import sqlalchemy as sa
from alembic import command

from reintegra.messaging.migrations import alembic_config

POSTINGS = [("p1", "op-reserve", "reserved", 150_000, "GN", None),
            ("p2", "op-reserve", "available", -150_000, "GN", None),
            ("p3", "payout:x:post", "paid", 75_000, "GN", "mobile_money"),
            ("p4", "payout:x:post", "reserved", -75_000, "GN", "mobile_money")]


def _insert(connection, posting_id: str, operation_id: str, kind: str, amount: int,
            country, route) -> None:
    connection.execute(sa.text(
        "INSERT INTO ledger_postings (id, transaction_id, operation_id, operation, programme_id, "
        "funding_source, kind, reference, amount, currency, created_at, country, route) VALUES "
        "(:id, :op, :op, 'test', 'P1', 'EU', :kind, 'plan:a', :amount, 'EUR', "
        "'2026-12-04 10:00:00', :country, :route)"),
        dict(id=posting_id, op=operation_id, kind=kind, amount=amount, country=country,
             route=route))


def _postings(engine) -> set:
    with engine.connect() as connection:
        return {tuple(r) for r in connection.execute(sa.text(
            "SELECT id, operation_id, kind, amount, country, route FROM ledger_postings"))}


def test_every_posting_survives_the_new_key_and_the_way_back(database_url):
    config = alembic_config("payments", database_url)
    command.upgrade(config, "0009")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        for posting in POSTINGS:
            _insert(connection, *posting)
    command.upgrade(config, "0010")
    assert _postings(engine) == set(POSTINGS)
    command.downgrade(config, "0009")
    assert _postings(engine) == set(POSTINGS)
    engine.dispose()


def test_the_same_posting_of_the_same_operation_cannot_be_stored_twice(database_url):
    config = alembic_config("payments", database_url)
    command.upgrade(config, "head")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        _insert(connection, *POSTINGS[2])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        _insert(connection, *POSTINGS[2])
    engine.dispose()

