"""Postings lose their index on transaction id.

No query finds postings by transaction: the ledger keeps a transaction's postings with its
receipt, and reports sum postings by programme. The index cost a random B-tree insert per
posting — four per paid payout, the largest single write of a payout batch after the
postings themselves.

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_ledger_postings_transaction_id", table_name="ledger_postings")


def downgrade():
    op.create_index("ix_ledger_postings_transaction_id", "ledger_postings", ["transaction_id"])
