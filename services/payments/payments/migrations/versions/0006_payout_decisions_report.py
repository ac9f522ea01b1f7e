"""Finance decisions on failed payouts and the report dimensions of postings.

Postings get their country and route, earmarks their reference's country, batches the time
they completed. Existing rows are backfilled where the answer is known: a reference's country
from its plan's schedule and case, a payout posting's route from its payout (the operation id
`payout:<id>:post`). What cannot be known stays NULL and shows as country unknown.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COUNTRY_OF_REFERENCE = """
    (SELECT c.return_country FROM schedules s
       JOIN beneficiary_cases c ON c.case_id = s.case_id
      WHERE s.reservation_id = {table}.reference
      ORDER BY s.plan_id LIMIT 1)
"""


def upgrade():
    op.add_column("ledger_postings", sa.Column("country", sa.String(2), nullable=True))
    op.add_column("ledger_postings", sa.Column("route", sa.String(32), nullable=True))
    op.add_column("budget_earmarks", sa.Column("country", sa.String(2), nullable=True))
    op.add_column("payout_batches",
                  sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "payout_decisions",
        sa.Column("payout_id", sa.String(36), primary_key=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("route", sa.String(32), nullable=True),
        sa.Column("replacement_id", sa.String(36), nullable=True),
        sa.Column("release_budget", sa.Boolean, nullable=False),
        sa.Column("released", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_key", sa.String(200), nullable=True, unique=True),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
    )
    op.create_index("ix_payouts_batch_status", "payouts", ["batch_id", "status"])
    for table in ("ledger_postings", "budget_earmarks"):
        op.execute(f"UPDATE {table} SET country = {_COUNTRY_OF_REFERENCE.format(table=table)}")
    op.execute("UPDATE ledger_postings SET route = (SELECT p.route FROM payouts p "
               "WHERE 'payout:' || p.id || ':' || 'post' = ledger_postings.operation_id) "
               "WHERE operation = 'post'")
    # Batches whose payouts had all ended were shown completed; now they are stored so.
    op.execute("UPDATE payout_batches SET status = 'completed', completed_at = released_at "
               "WHERE status = 'released' AND NOT EXISTS (SELECT 1 FROM payouts p "
               "WHERE p.batch_id = payout_batches.id "
               "AND p.status NOT IN ('paid', 'failed', 'rerouted', 'returned'))")


def downgrade():
    op.execute("UPDATE payout_batches SET status = 'released' WHERE status = 'completed'")
    op.drop_table("payout_decisions")
    op.drop_index("ix_payouts_batch_status", table_name="payouts")
    # Plain ALTER TABLE … DROP COLUMN (SQLite >= 3.35): a batch copy of the tables would
    # lose their CHECK constraints.
    op.drop_column("payout_batches", "completed_at")
    op.drop_column("budget_earmarks", "country")
    op.drop_column("ledger_postings", "route")
    op.drop_column("ledger_postings", "country")
