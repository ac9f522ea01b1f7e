"""Outbox, inbox and followed cases.

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
        "followed_cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("monitoring_months", sa.Integer, nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    for table in ("followed_cases", "inbox", "outbox"):
        op.drop_table(table)
