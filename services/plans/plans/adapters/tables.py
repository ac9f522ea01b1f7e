"""Plans' tables: what it has learned about programmes and cases from events."""
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
