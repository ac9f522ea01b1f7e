"""Outbox, inbox, known cases and staff notices.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from reintegra.messaging.tables import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "known_cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
    )
    op.create_table(
        "staff_notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    for table in ("staff_notices", "known_cases", "inbox", "outbox"):
        op.drop_table(table)
