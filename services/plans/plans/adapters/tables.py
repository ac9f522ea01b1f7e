"""Plans' tables: what it learned from intake, and the applications and plans it owns."""
import sqlalchemy as sa

metadata = sa.MetaData()

programmes = sa.Table(
    "programmes", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("allowance_cap", sa.BigInteger, nullable=False),
)

# Plans never reads intake's database: a case's facts arrive as intake's events.
case_facts = sa.Table(
    "case_facts", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("vulnerability_level", sa.String(8), nullable=False),
    sa.Column("intends_to_apply", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Versioned programme configuration: a stored score names the version that produced it.
scoring_weights = sa.Table(
    "scoring_weights", metadata,
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("version", sa.String(40), primary_key=True),
    sa.Column("weights", sa.JSON, nullable=False),
    sa.Column("set_by", sa.String(64), nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
)

applications = sa.Table(
    "applications", metadata,
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
    # Tenths of a point: the score has exactly one decimal and must never pass through a float.
    sa.Column("score_tenths", sa.Integer),
    sa.Column("weights_version", sa.String(40)),
    sa.Column("evaluated_by", sa.String(64)),
    sa.Column("evaluated_at", sa.DateTime(timezone=True)),
    sa.Column("decision_reason", sa.Text),
    sa.Column("submitted_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

plans = sa.Table(
    "plans", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("case_id", sa.String(36), nullable=False, unique=True),
    sa.Column("programme_id", sa.String(36), nullable=False, index=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("cancelled_at", sa.DateTime(timezone=True)),
    sa.Column("cancellation_reason", sa.Text),
)

plan_versions = sa.Table(
    "plan_versions", metadata,
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

# The approval saga's memory (docs/plans.md): written before payments is asked to reserve,
# settled after; one left `pending` by a crash is compensated by the recovery timer.
approval_intents = sa.Table(
    "approval_intents", metadata,
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

# Releases owed to payments, written in the transaction that decided them and sent after
# commit (a command outbox): a crash before sending leaves the row for the timer to send.
budget_releases = sa.Table(
    "budget_releases", metadata,
    sa.Column("operation_id", sa.String(96), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("reference", sa.String(64), nullable=False),
    sa.Column("amount", sa.BigInteger),          # NULL: everything still reserved
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("released", sa.BigInteger),
)
