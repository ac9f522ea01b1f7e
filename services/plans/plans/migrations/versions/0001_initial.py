"""Outbox, inbox, programmes and case facts.

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
        "programmes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("allowance_cap", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "case_facts",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("vulnerability_level", sa.String(8), nullable=False),
        sa.Column("intends_to_apply", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    for table in ("case_facts", "programmes", "inbox", "outbox"):
        op.drop_table(table)
