"""Postings are keyed by (operation id, posting id) instead of the posting id alone.

A posting id is a hash (`domain.postings.posting_id_for`), so a chunk of 500 paid payouts
inserted its 2,000 postings at 2,000 random places of the key's B-tree — at 100,000 payouts,
most of a chunk's dirty pages. The operation ids of one chunk share their order with its
payouts (`payout:<payout id>:post`), so under this key a chunk's postings sit together.
The key is as unique as before: the posting id is still part of it, and it is still derived
from the operation id and the leg, so a replayed operation collides with its stored rows.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KEY = sa.String(200)
COLUMNS = ("id, transaction_id, operation_id, operation, programme_id, funding_source, kind, "
           "reference, amount, currency, created_at, country, route")


def _postings_table(name: str, primary_key: tuple[str, ...], key_name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("transaction_id", sa.String(36), nullable=False),
        sa.Column("operation_id", KEY, nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("funding_source", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", KEY, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("route", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint(*primary_key, name=key_name),
    )


def _move_postings(primary_key: tuple[str, ...], key_name: str) -> None:
    # A new table, filled and renamed: SQLite cannot change a primary key in place. (Key
    # names differ each way: on PostgreSQL they share one namespace with the old table's.)
    _postings_table("ledger_postings_rekeyed", primary_key, key_name)
    op.execute(f"INSERT INTO ledger_postings_rekeyed ({COLUMNS}) "
               f"SELECT {COLUMNS} FROM ledger_postings")
    op.drop_index("ix_ledger_postings_programme_id", table_name="ledger_postings")
    op.drop_table("ledger_postings")
    op.rename_table("ledger_postings_rekeyed", "ledger_postings")
    op.create_index("ix_ledger_postings_programme_id", "ledger_postings", ["programme_id"])


def upgrade():
    _move_postings(("operation_id", "id"), "pk_ledger_postings_by_operation")


def downgrade():
    _move_postings(("id",), "pk_ledger_postings_by_id")
