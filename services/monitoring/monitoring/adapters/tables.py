"""Monitoring's tables: the cases it follows, learned from intake, and the operations read
model learned from payments' events (ids, routes, amounts — nothing about the person)."""
import sqlalchemy as sa

metadata = sa.MetaData()

followed_cases = sa.Table(
    "followed_cases", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("monitoring_months", sa.Integer, nullable=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)

# One row per payout, in the furthest status it was reported in.
payout_states = sa.Table(
    "payout_states", metadata,
    sa.Column("payout_id", sa.String(64), primary_key=True),
    sa.Column("instalment_id", sa.String(64), nullable=False),
    sa.Column("programme_id", sa.String(64), nullable=False),
    sa.Column("route", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Index("ix_payout_states_programme", "programme_id"),
)

# Each budget_reserved / budget_released, kept as it came (the event id is the key).
budget_movements = sa.Table(
    "budget_movements", metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(64), nullable=False),
    sa.Column("reservation_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Index("ix_budget_movements_programme", "programme_id"),
)

# Instalments that fell due; the latest announcement of one instalment wins.
due_instalments = sa.Table(
    "due_instalments", metadata,
    sa.Column("instalment_id", sa.String(64), primary_key=True),
    sa.Column("programme_id", sa.String(64), nullable=False),
    sa.Column("case_id", sa.String(64), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Index("ix_due_instalments_programme", "programme_id"),
)
