"""Migration 0009 turns the earmarks' row per kind into one row per reference and funding
source, with a column per kind, and back again on downgrade, without losing a cent."""
import pytest
import sqlalchemy as sa
from alembic import command

from reintegra.messaging.migrations import alembic_config

# (reference, funding source, kind, amount, country) as 0008 stored them: a plan reserved
# across two sources, half paid, part of the payment returned; another only reserved.
BY_KIND = [("plan:a", "AMIF", "reserved", 37_500, "GN"), ("plan:a", "AMIF", "paid", 30_000, "GN"),
           ("plan:a", "AMIF", "returned", 7_500, "GN"), ("plan:a", "PT", "reserved", 12_500, "GN"),
           ("plan:a", "PT", "paid", 12_500, "GN"), ("plan:b", "AMIF", "reserved", 90_000, None)]


def _store_by_kind(engine) -> None:
    with engine.begin() as connection:
        for reference, source, kind, amount, country in BY_KIND:
            connection.execute(sa.text(
                "INSERT INTO budget_earmarks (programme_id, funding_source, kind, reference, "
                "amount, currency, country) VALUES ('P1', :source, :kind, :reference, :amount, "
                "'EUR', :country)"), dict(source=source, kind=kind, reference=reference,
                                          amount=amount, country=country))


def _rows(engine, sql: str) -> set:
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(sa.text(sql))}


@pytest.fixture
def migrated_from_rows_by_kind(database_url):
    """The earmarks of BY_KIND stored at 0008, then migrated to 0009: (alembic config, engine)."""
    config = alembic_config("payments", database_url)
    command.upgrade(config, "0008")
    engine = sa.create_engine(database_url)
    _store_by_kind(engine)
    command.upgrade(config, "0009")
    yield config, engine
    engine.dispose()


def test_each_reference_and_source_becomes_one_row_holding_every_kind(migrated_from_rows_by_kind):
    _config, engine = migrated_from_rows_by_kind
    assert _rows(engine, "SELECT reference, funding_source, reserved, paid, returned, currency, "
                         "country FROM budget_earmarks") == {
        ("plan:a", "AMIF", 37_500, 30_000, 7_500, "EUR", "GN"),
        ("plan:a", "PT", 12_500, 12_500, 0, "EUR", "GN"),
        ("plan:b", "AMIF", 90_000, 0, 0, "EUR", None)}


def test_downgrade_gives_back_the_row_per_kind(migrated_from_rows_by_kind):
    config, engine = migrated_from_rows_by_kind
    command.downgrade(config, "0008")
    assert _rows(engine, "SELECT reference, funding_source, kind, amount, country "
                         "FROM budget_earmarks") == set(BY_KIND)


def test_no_earmark_amount_can_go_below_zero(database_url):
    config = alembic_config("payments", database_url)
    command.upgrade(config, "head")
    engine = sa.create_engine(database_url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO budget_earmarks (programme_id, reference, funding_source, reserved, "
            "paid, returned, currency) VALUES ('P1', 'plan:c', 'AMIF', 100, -1, 0, 'EUR')"))
    engine.dispose()
