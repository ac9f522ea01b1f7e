"""The outbox and inbox tables every service keeps in its own database."""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

def _outbox_columns():
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
    ]


# One row per (consumer, event) handled: written in the same transaction as the handler's
# effect, so a redelivered event finds its row and has no second effect.
def _inbox_columns():
    return [
        sa.Column("consumer", sa.String(128), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    ]


outbox = sa.Table("outbox", metadata, *_outbox_columns(),
                  sa.Index("ix_outbox_pending", "published_at", "id"))
inbox = sa.Table("inbox", metadata, *_inbox_columns())


def create_messaging_tables(op) -> None:
    """Called from each service's first Alembic migration."""
    op.create_table("outbox", *_outbox_columns())
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "id"])
    op.create_table("inbox", *_inbox_columns())
