"""Earmarks: one row per reference and funding source, with a column per kind.

A paid payout moves its reservation's money from reserved to paid, per funding source. With
a row per kind, that was two updates of the `reserved` rows and, at a reference's first
payment, two new `paid` rows with their entries in two indexes — all in random places of a
table of hundreds of thousands of rows, so every chunk of 500 paid payouts dirtied thousands
of pages. With `reserved`, `paid` and `returned` as columns of one row it is two updates in
place. The key starts with programme and reference, the ledger's lookup, so the index of
migration 0007 is no longer needed.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KEY = sa.String(200)
KINDS = ("reserved", "paid", "returned")


def upgrade():
    op.create_table(
        "budget_earmarks_by_source",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("reference", KEY, primary_key=True),
        sa.Column("funding_source", sa.String(64), primary_key=True),
        *[sa.Column(kind, sa.BigInteger, nullable=False) for kind in KINDS],
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.CheckConstraint("reserved >= 0 AND paid >= 0 AND returned >= 0",
                           name="earmark_not_negative"),
    )
    sums = ", ".join(f"SUM(CASE WHEN kind = '{kind}' THEN amount ELSE 0 END)" for kind in KINDS)
    op.execute(
        "INSERT INTO budget_earmarks_by_source (programme_id, reference, funding_source, "
        f"{', '.join(KINDS)}, currency, country) "
        f"SELECT programme_id, reference, funding_source, {sums}, MAX(currency), MAX(country) "
        "FROM budget_earmarks GROUP BY programme_id, reference, funding_source")
    op.drop_index("ix_budget_earmarks_programme_reference", table_name="budget_earmarks")
    op.drop_table("budget_earmarks")
    op.rename_table("budget_earmarks_by_source", "budget_earmarks")


def downgrade():
    op.create_table(
        "budget_earmarks_by_kind",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("funding_source", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("reference", KEY, primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.CheckConstraint("amount >= 0", name="earmark_not_negative"),
    )
    # Every reference was reserved first; a paid or returned row existed once money got there.
    rows_of_each_kind = " UNION ALL ".join(
        f"SELECT programme_id, funding_source, '{kind}', reference, {kind}, currency, country "
        f"FROM budget_earmarks WHERE {kind} <> 0 OR '{kind}' = 'reserved'" for kind in KINDS)
    op.execute("INSERT INTO budget_earmarks_by_kind (programme_id, funding_source, kind, "
               f"reference, amount, currency, country) {rows_of_each_kind}")
    op.drop_table("budget_earmarks")
    op.rename_table("budget_earmarks_by_kind", "budget_earmarks")
    op.create_index("ix_budget_earmarks_programme_reference", "budget_earmarks",
                    ["programme_id", "reference"])
