"""The budget ledger, instalment schedules, payout methods, batches and payouts.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEY = sa.String(200)
NEW_TABLES = ("payouts", "payout_batches", "payout_methods", "instalments", "schedules",
              "case_facts", "budget_earmarks", "budget_balances", "ledger_postings",
              "ledger_operations")


def upgrade():
    # The journal: one row per ledger operation (its id is the caller's idempotency key) and
    # its postings. Append-only: nothing here is ever updated or deleted.
    op.create_table(
        "ledger_operations",
        sa.Column("operation_id", KEY, primary_key=True),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("transaction_id", sa.String(36), nullable=True),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("reference", KEY, nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "ledger_postings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("transaction_id", sa.String(36), nullable=False, index=True),
        sa.Column("operation_id", KEY, nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False, index=True),
        sa.Column("funding_source", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", KEY, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )

    # Running balances derived from the postings, kept so that the rows an operation can drive
    # down can be locked; the CHECKs are the backstop should a lock ever be missed.
    op.create_table(
        "budget_balances",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("funding_source", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.CheckConstraint("kind <> 'available' OR amount >= 0", name="available_not_negative"),
    )

    op.create_table(
        "budget_earmarks",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("funding_source", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("reference", KEY, primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.CheckConstraint("amount >= 0", name="earmark_not_negative"),
    )

    # What payments knows of a case's journey, whatever order the events came in.
    op.create_table(
        "case_facts",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("arrived", sa.Boolean, nullable=False, default=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False, default=False),
        sa.Column("justified", sa.JSON, nullable=False),  # {instalment id: minor units}
        sa.Column("monitoring_contacts", sa.JSON, nullable=False),  # [contact id]
    )

    op.create_table(
        "schedules",
        sa.Column("plan_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("reservation_id", KEY, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("cap", sa.BigInteger, nullable=False),
        sa.Column("justification_threshold_percent", sa.Integer, nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
    )

    op.create_table(
        "instalments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("plan_id", sa.String(36), nullable=False, index=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("paid", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("share", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index("ix_instalments_status_programme", "status", "programme_id"),
    )

    op.create_table(
        "payout_methods",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "payout_batches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=True),
        sa.Column("prepared_by", sa.String(64), nullable=False),
        sa.Column("released_by", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payout_count", sa.Integer, nullable=False),
        sa.Column("skipped", sa.JSON, nullable=False),
        sa.Column("request_key", sa.String(200), nullable=True, unique=True),
        sa.Column("request_fingerprint", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
    )

    op.create_table(
        "payouts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("instalment_id", sa.String(36), nullable=False, index=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("reservation_id", KEY, nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=True, index=True),
        sa.Column("payee_id", sa.String(36), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        # Stored with the payout, before any provider call; sent with every call.
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_reference", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("failure_reason", sa.String(64), nullable=True),
        sa.Column("rerouted_to", sa.String(36), nullable=True),
        sa.Column("collection", sa.JSON, nullable=True),
        # The lease of whoever is calling the provider, and when to try or poll again.
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("instalment_id", "sequence", name="one_payout_per_sequence"),
        sa.Index("ix_payouts_status_next", "status", "next_attempt_at"),
    )


def downgrade():
    for table in NEW_TABLES:
        op.drop_table(table)
