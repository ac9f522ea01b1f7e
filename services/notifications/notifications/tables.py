"""Notifications' tables: the messages it owes people, and the cases it knows of."""
import sqlalchemy as sa

metadata = sa.MetaData()

known_cases = sa.Table(
    "known_cases", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
)

# What staff are told; carries ids and codes, never names or sensitive facts.
staff_notices = sa.Table(
    "staff_notices", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("case_id", sa.String(36), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
