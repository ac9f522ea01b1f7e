"""Monitoring's tables: the cases it will follow up after return, learned from events."""
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
