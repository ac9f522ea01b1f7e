"""Scoring weights, applications, plans and their versions, the approval saga's records.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NEW_TABLES = ("scoring_weights", "applications", "plans", "plan_versions", "approval_intents",
               "budget_releases")


def upgrade():
    # Spelled out rather than taken from adapters.tables: a migration must keep describing
    # this revision when the tables change later.
    op.create_table(
        "scoring_weights",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.String(40), primary_key=True),
        sa.Column("weights", sa.JSON, nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, unique=True),
        sa.Column("programme_id", sa.String(36), nullable=False, index=True),
        sa.Column("applied_on", sa.Date, nullable=False),
        sa.Column("interview_date", sa.Date, nullable=False),
        sa.Column("needs", sa.Text, nullable=False),
        sa.Column("skills", sa.Text, nullable=False),
        sa.Column("intended_use", sa.Text, nullable=False),
        sa.Column("household_situation", sa.Text, nullable=False),
        sa.Column("vulnerability_level", sa.String(8), nullable=False),
        sa.Column("requested_amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("scores", sa.JSON),
        sa.Column("score_tenths", sa.Integer),
        sa.Column("weights_version", sa.String(40)),
        sa.Column("evaluated_by", sa.String(64)),
        sa.Column("evaluated_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.Text),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, unique=True),
        sa.Column("programme_id", sa.String(36), nullable=False, index=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancellation_reason", sa.Text),
    )
    op.create_table(
        "plan_versions",
        sa.Column("plan_id", sa.String(36), sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("lines", sa.JSON, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("drafted_by", sa.String(64), nullable=False),
        sa.Column("drafted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision_reason", sa.Text),
        sa.Column("submitted_by", sa.String(64)),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", sa.String(64)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("auto_approved", sa.Boolean, nullable=False),
        sa.Column("reservation_id", sa.String(64)),
        sa.Column("rejected_by", sa.String(64)),
        sa.Column("rejected_at", sa.DateTime(timezone=True)),
        sa.Column("rejection_reason", sa.Text),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "approval_intents",
        sa.Column("operation_id", sa.String(96), primary_key=True),
        sa.Column("plan_id", sa.String(36), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("approver_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "budget_releases",
        sa.Column("operation_id", sa.String(96), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("amount", sa.BigInteger),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("released", sa.BigInteger),
    )


def downgrade():
    for table in reversed(_NEW_TABLES):
        op.drop_table(table)
