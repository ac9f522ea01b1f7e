"""Migration 0011: the instalment index holds only due instalments, and batches still find
them through it."""
import sqlalchemy as sa
from alembic import command

from reintegra.messaging.migrations import alembic_config


def _indexes(database_url: str) -> set[str]:
    engine = sa.create_engine(database_url)
    names = {i["name"] for i in sa.inspect(engine).get_indexes("instalments")}
    engine.dispose()
    return names


def test_the_due_index_replaces_the_status_index_and_goes_back_on_downgrade(database_url):
    config = alembic_config("payments", database_url)
    command.upgrade(config, "head")
    assert "ix_instalments_due" in _indexes(database_url)
    assert "ix_instalments_status_programme" not in _indexes(database_url)
    command.downgrade(config, "0010")
    assert "ix_instalments_status_programme" in _indexes(database_url)
    command.upgrade(config, "head")
    assert "ix_instalments_due" in _indexes(database_url)


def test_looking_for_due_instalments_of_a_programme_can_use_the_due_index(database_url):
    command.upgrade(alembic_config("payments", database_url), "head")
    query = ("SELECT id FROM instalments WHERE status = 'due' AND programme_id = 'P1' "
             "ORDER BY due_at")
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        if database_url.startswith("sqlite"):
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")
        else:
            # An empty table is scanned whatever the indexes; forbid that to see the index.
            connection.exec_driver_sql("SET enable_seqscan = off")
            rows = connection.exec_driver_sql(f"EXPLAIN {query}")
        plan = " ".join(str(row[-1]) for row in rows)
    engine.dispose()
    assert "ix_instalments_due" in plan
