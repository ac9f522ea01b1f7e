"""Outbox, inbox, programmes and beneficiary cases.

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
        sa.Column("instalment_split", sa.JSON, nullable=False),
        sa.Column("justification_threshold_percent", sa.Integer, nullable=False),
    )
    op.create_table(
        "beneficiary_cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("return_country", sa.String(2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    for table in ("beneficiary_cases", "programmes", "inbox", "outbox"):
        op.drop_table(table)
