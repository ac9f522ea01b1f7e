"""Notifications' tables: the notices owed to staff and beneficiaries, and the cases it knows."""
import sqlalchemy as sa

metadata = sa.MetaData()

known_cases = sa.Table(
    "known_cases", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
)

# What staff are told, by role; carries ids, amounts and codes, never names or sensitive facts.
# One event may notify several roles, but each role only once.
staff_notices = sa.Table(
    "notices", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("audience", sa.String(32), nullable=False),
    sa.Column("case_id", sa.String(64), nullable=True),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("event_id", "audience", name="uq_notices_event_audience"),
    sa.Index("ix_notices_case", "case_id"),
    sa.Index("ix_notices_audience", "audience", "id"),
)

# Messages owed to the person of a case, by case id only: the channel and contact are
# resolved when the message is sent (consented channels come with the sending work).
beneficiary_messages = sa.Table(
    "beneficiary_messages", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("case_id", sa.String(64), nullable=False),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(32), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("event_id", "kind", name="uq_beneficiary_messages_event_kind"),
    sa.Index("ix_beneficiary_messages_case", "case_id"),
)
