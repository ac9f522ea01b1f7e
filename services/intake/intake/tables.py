"""Intake's tables (SQLAlchemy Core); the migrations in migrations/ create them."""
import sqlalchemy as sa

metadata = sa.MetaData()

programmes = sa.Table(
    "programmes", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("host_country", sa.String(2), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), sa.ForeignKey("programmes.id"), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("person", sa.JSON, nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)
