"""Payees of a case (suppliers, trusted third parties) and who each payout pays.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PAYOUT_COLUMNS = ("payee_kind", "plan_line_id", "document_reference")


def upgrade():
    op.create_table(
        "payees",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(140), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("plan_line_id", sa.String(64), nullable=True),
        sa.Column("document_kind", sa.String(16), nullable=True),
        sa.Column("document_reference", sa.String(100), nullable=True),
        sa.Column("document_amount", sa.BigInteger, nullable=True),
        sa.Column("document_currency", sa.String(3), nullable=True),
        sa.Column("relationship", sa.String(32), nullable=True),
        sa.Column("authorised_on", sa.Date, nullable=True),
        sa.Column("signed_document_reference", sa.String(100), nullable=True),
        sa.Column("approved_by", sa.String(64), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(500), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Every payout made before payees existed paid the beneficiary.
    with op.batch_alter_table("payouts") as payouts:
        payouts.add_column(sa.Column("payee_kind", sa.String(16), nullable=False,
                                     server_default="beneficiary"))
        payouts.add_column(sa.Column("plan_line_id", sa.String(64), nullable=True))
        payouts.add_column(sa.Column("document_reference", sa.String(100), nullable=True))


def downgrade():
    with op.batch_alter_table("payouts") as payouts:
        for column in PAYOUT_COLUMNS:
            payouts.drop_column(column)
    op.drop_table("payees")
