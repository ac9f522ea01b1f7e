"""Exchange rates (ECB import, manual entry) fixed on payouts, and cash voucher settings.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PAYOUT_TERMS = ("payout_currency", "payout_amount", "exchange_rate", "rate_date", "rate_source",
                "voucher_expires_at")


def upgrade():
    op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("rate_date", sa.Date, primary_key=True),
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("rate", sa.String(40), nullable=False),
        sa.Column("entered_by", sa.String(64), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("payouts") as table:
        table.add_column(sa.Column("payout_currency", sa.String(3), nullable=True))
        table.add_column(sa.Column("payout_amount", sa.BigInteger, nullable=True))
        table.add_column(sa.Column("exchange_rate", sa.String(40), nullable=True))
        table.add_column(sa.Column("rate_date", sa.Date, nullable=True))
        table.add_column(sa.Column("rate_source", sa.String(16), nullable=True))
        table.add_column(sa.Column("voucher_expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("programmes") as table:
        table.add_column(sa.Column("voucher_expiry_days", sa.Integer, nullable=False,
                                   server_default="30"))


def downgrade():
    with op.batch_alter_table("programmes") as table:
        table.drop_column("voucher_expiry_days")
    with op.batch_alter_table("payouts") as table:
        for column in PAYOUT_TERMS:
            table.drop_column(column)
    op.drop_table("exchange_rates")
