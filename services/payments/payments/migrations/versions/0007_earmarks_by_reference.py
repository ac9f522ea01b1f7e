"""Earmarks found by their reference.

The ledger loads the earmarks of the references an operation touches (a chunk of paid
payouts: 500 reservations). The primary key starts with the programme and funding source, so
that lookup read every earmark of the programme; at 100,000 cases, every chunk read 400,000
rows. This index makes it read only the rows asked for.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_budget_earmarks_programme_reference", "budget_earmarks",
                    ["programme_id", "reference"])


def downgrade():
    op.drop_index("ix_budget_earmarks_programme_reference", table_name="budget_earmarks")
