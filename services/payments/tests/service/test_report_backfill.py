"""Migration 0006 gives the postings written before it their country and route where the
answer is known, and stores batches that had ended as completed."""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from reintegra.messaging.migrations import alembic_config

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)


def _rows(connection, table: str, **values) -> None:
    names = ", ".join(values)
    connection.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES "
                               f"({', '.join(':' + n for n in values)})"), values)


def _history_before_0006(connection) -> None:
    """A GN case's plan reserved and half paid by mobile money in a batch that ended; a
    reservation no schedule explains."""
    _rows(connection, "beneficiary_cases", case_id="case-1", programme_id="P1",
          status="arrived", return_country="GN", updated_at=NOW)
    _rows(connection, "schedules", plan_id="plan-1", case_id="case-1", programme_id="P1",
          reservation_id="plan:plan-1", version=1, currency="EUR", cap=200_000,
          justification_threshold_percent=80, withdrawn=False)
    _rows(connection, "payout_batches", id="b1", programme_id="P1", prepared_by="a",
          released_by="b", status="released", payout_count=1, skipped="[]",
          created_at=NOW, released_at=NOW)
    _rows(connection, "payouts", id="pay-1", instalment_id="i1", case_id="case-1",
          programme_id="P1", reservation_id="plan:plan-1", batch_id="b1", payee_id="case-1",
          route="mobile_money", amount=75_000, currency="EUR", sequence=1,
          idempotency_key="k1", status="paid", attempts=1, updated_at=NOW)
    legs = [("r1", "reserve", "plan:plan-1", "available", -150_000),
            ("r1", "reserve", "plan:plan-1", "reserved", 150_000),
            ("payout:pay-1:post", "post", "plan:plan-1", "reserved", -75_000),
            ("payout:pay-1:post", "post", "plan:plan-1", "paid", 75_000),
            ("r2", "reserve", "plan:orphan", "available", -10_000),
            ("r2", "reserve", "plan:orphan", "reserved", 10_000)]
    for index, (operation_id, operation, reference, kind, amount) in enumerate(legs):
        _rows(connection, "ledger_postings", id=f"p{index}", transaction_id=operation_id,
              operation_id=operation_id, operation=operation, programme_id="P1",
              funding_source="EU", kind=kind, reference=reference, amount=amount,
              currency="EUR", created_at=NOW)
    for reference, kind, amount in [("plan:plan-1", "reserved", 75_000),
                                    ("plan:plan-1", "paid", 75_000),
                                    ("plan:orphan", "reserved", 10_000)]:
        _rows(connection, "budget_earmarks", programme_id="P1", funding_source="EU",
              kind=kind, reference=reference, amount=amount, currency="EUR")


def test_migration_0006_backfills_countries_routes_and_completed_batches(database_url):
    config = alembic_config("payments", database_url)
    command.upgrade(config, "0005")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        _history_before_0006(connection)
    command.upgrade(config, "head")
    with engine.connect() as connection:
        postings = {(r.operation_id, r.kind): (r.country, r.route) for r in connection.execute(
            sa.text("SELECT operation_id, kind, country, route FROM ledger_postings"))}
        earmarks = {r.reference: (r.reserved, r.paid, r.country) for r in connection.execute(
            sa.text("SELECT reference, reserved, paid, country FROM budget_earmarks"))}
        batch = connection.execute(sa.text(
            "SELECT status, completed_at FROM payout_batches WHERE id = 'b1'")).one()
    engine.dispose()
    assert postings == {("r1", "available"): ("GN", None), ("r1", "reserved"): ("GN", None),
                        ("payout:pay-1:post", "reserved"): ("GN", "mobile_money"),
                        ("payout:pay-1:post", "paid"): ("GN", "mobile_money"),
                        ("r2", "available"): (None, None), ("r2", "reserved"): (None, None)}
    # (One row per reference and source since migration 0009.)
    assert earmarks == {"plan:plan-1": (75_000, 75_000, "GN"), "plan:orphan": (10_000, 0, None)}
    assert batch.status == "completed" and batch.completed_at is not None
