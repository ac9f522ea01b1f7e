"""Payments' tables: programmes' money settings and the cases it may pay, learned from events."""
import sqlalchemy as sa

metadata = sa.MetaData()

programmes = sa.Table(
    "programmes", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("allowance_cap", sa.BigInteger, nullable=False),
    sa.Column("instalment_split", sa.JSON, nullable=False),
    sa.Column("justification_threshold_percent", sa.Integer, nullable=False),
)

beneficiary_cases = sa.Table(
    "beneficiary_cases", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("return_country", sa.String(2), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
