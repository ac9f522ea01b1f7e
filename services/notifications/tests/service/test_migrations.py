"""Notices written before notices had roles survive the upgrade, and the downgrade."""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import command

from reintegra.messaging.migrations import alembic_config


def test_a_staff_notice_of_the_first_schema_becomes_a_caseworker_notice_and_back(database_url):
    config = alembic_config("notifications", database_url)
    engine = sa.create_engine(database_url)
    command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO staff_notices (event_id, kind, case_id, created_at) "
                             "VALUES ('e-1', 'case_registered', 'case-1', :at)"),
                     {"at": datetime(2026, 11, 1, tzinfo=timezone.utc)})

    command.upgrade(config, "head")
    with engine.connect() as conn:
        upgraded = conn.execute(sa.text("SELECT kind, audience, case_id, text FROM notices")).all()
    assert [tuple(row) for row in upgraded] == [
        ("case_registered", "caseworker", "case-1", "Case case-1 was registered.")]

    command.downgrade(config, "0001")
    with engine.connect() as conn:
        restored = conn.execute(sa.text("SELECT event_id, kind, case_id FROM staff_notices")).all()
    engine.dispose()
    assert [tuple(row) for row in restored] == [("e-1", "case_registered", "case-1")]
