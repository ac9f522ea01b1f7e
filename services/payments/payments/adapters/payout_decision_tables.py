"""Finance decisions on failed payouts (service_layer/payout_decisions.py): one per payout,
kept with who decided, why, and the Idempotency-Key of the request that made it."""
import sqlalchemy as sa

from payments.adapters.tables import metadata

payout_decisions = sa.Table(
    "payout_decisions", metadata,
    sa.Column("payout_id", sa.String(36), primary_key=True),
    sa.Column("decision", sa.String(16), nullable=False),  # rerouted | returned
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
