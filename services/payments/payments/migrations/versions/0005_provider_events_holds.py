"""Provider webhook events applied once, and payouts held for payee review.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "provider_events",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(255), nullable=True),
        sa.Column("payout_id", sa.String(36), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_provider_events_payout_id", "provider_events", ["payout_id"])
    op.create_table(
        "payout_holds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("payout_id", sa.String(36), nullable=False, unique=True),
        sa.Column("provider_name", sa.String(200), nullable=False),
        sa.Column("payee_name", sa.String(200), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("why", sa.String(500), nullable=True),
    )
    op.create_index("ix_payout_holds_resolution", "payout_holds", ["resolution"])


def downgrade():
    op.drop_index("ix_payout_holds_resolution", table_name="payout_holds")
    op.drop_table("payout_holds")
    op.drop_index("ix_provider_events_payout_id", table_name="provider_events")
    op.drop_table("provider_events")
