"""The operations read model: payout states, budget movements, due instalments.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "payout_states",
        sa.Column("payout_id", sa.String(64), primary_key=True),
        sa.Column("instalment_id", sa.String(64), nullable=False),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_index("ix_payout_states_programme", "payout_states", ["programme_id"])
    op.create_table(
        "budget_movements",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("reservation_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_index("ix_budget_movements_programme", "budget_movements", ["programme_id"])
    op.create_table(
        "due_instalments",
        sa.Column("instalment_id", sa.String(64), primary_key=True),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_index("ix_due_instalments_programme", "due_instalments", ["programme_id"])


def downgrade():
    for table in ("due_instalments", "budget_movements", "payout_states"):
        op.drop_table(table)
