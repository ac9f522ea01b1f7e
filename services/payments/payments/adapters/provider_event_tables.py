"""Payments' tables for provider webhooks applied once, and payouts held for payee review."""
import sqlalchemy as sa

from payments.adapters.tables import metadata

# One row per provider event id, written after the event was applied: a redelivery finds it
# and changes nothing. `facts` keeps what the event said about its object (ids and states,
# never names), so account and card changes are on record without a table of their own.
provider_events = sa.Table(
    "provider_events", metadata,
    sa.Column("event_id", sa.String(255), primary_key=True),
    sa.Column("provider", sa.String(32), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("object_id", sa.String(255), nullable=True),
    sa.Column("payout_id", sa.String(36), nullable=True, index=True),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
)

# Both names are personal data: they stay here, never in an event, a log or a metric.
payout_holds = sa.Table(
    "payout_holds", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("payout_id", sa.String(36), nullable=False, unique=True),
    sa.Column("provider_name", sa.String(200), nullable=False),
    sa.Column("payee_name", sa.String(200), nullable=False),
    sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolution", sa.String(16), nullable=True, index=True),
    sa.Column("decided_by", sa.String(64), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("why", sa.String(500), nullable=True),
)
