"""Notices by role and messages owed to beneficiaries.

`staff_notices` (one kind per event, no text) becomes `notices`: one event may now notify
several roles, each notice says what happened. Existing rows are kept, as caseworker notices.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("audience", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "audience", name="uq_notices_event_audience"),
    )
    op.create_index("ix_notices_case", "notices", ["case_id"])
    op.create_index("ix_notices_audience", "notices", ["audience", "id"])
    op.execute(
        "INSERT INTO notices (event_id, kind, audience, case_id, text, created_at) "
        "SELECT event_id, kind, 'caseworker', case_id, "
        "'Case ' || coalesce(case_id, '?') || ' was registered.', created_at "
        "FROM staff_notices ORDER BY id")
    op.drop_table("staff_notices")
    op.create_table(
        "beneficiary_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "kind", name="uq_beneficiary_messages_event_kind"),
    )
    op.create_index("ix_beneficiary_messages_case", "beneficiary_messages", ["case_id"])


def downgrade():
    op.drop_table("beneficiary_messages")
    op.create_table(
        "staff_notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The old table held one notice per event: keep the first of each.
    op.execute(
        "INSERT INTO staff_notices (event_id, kind, case_id, created_at) "
        "SELECT event_id, kind, case_id, created_at FROM notices "
        "WHERE id IN (SELECT min(id) FROM notices GROUP BY event_id) ORDER BY id")
    op.drop_table("notices")
