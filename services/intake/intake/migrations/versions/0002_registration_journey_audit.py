"""Full registration, return journey history, duplicate and search indexes, idempotent
commands and the append-only audit log.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_APPEND_ONLY_SQLITE = """
CREATE TRIGGER audit_log_no_{verb} BEFORE {VERB} ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""
_APPEND_ONLY_POSTGRES = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]


def upgrade():
    _add_case_columns()
    _create_journey_and_index_tables()
    _create_audit_log()


def _add_case_columns():
    with op.batch_alter_table("cases") as batch:
        for column in (
                sa.Column("assigned_caseworker_id", sa.String(64), nullable=False, server_default=""),
                sa.Column("return_country", sa.String(2), nullable=False, server_default=""),
                sa.Column("vulnerability_factors", sa.JSON, nullable=False, server_default="[]"),
                sa.Column("other_vulnerability", sa.JSON, nullable=True),
                sa.Column("eligibility_reasons", sa.JSON, nullable=False, server_default="[]"),
                sa.Column("sensitive_data", sa.Text, nullable=True),
                sa.Column("protected", sa.Boolean, nullable=False, server_default=sa.false())):
            batch.add_column(column)
    op.execute("UPDATE cases SET assigned_caseworker_id = registered_by")
    op.create_index("ix_cases_newest", "cases", ["registered_at", "id"])
    op.create_index("ix_cases_status_newest", "cases", ["status", "registered_at", "id"])
    op.create_index("ix_cases_programme_newest", "cases", ["programme_id", "registered_at", "id"])
    op.create_index("ix_cases_country_newest", "cases", ["return_country", "registered_at", "id"])


def _create_journey_and_index_tables():
    op.create_table(
        "case_transitions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("data", sa.JSON, nullable=False))
    op.create_index("ix_case_transitions_case_id", "case_transitions", ["case_id"])
    op.create_table(
        "blocking_keys",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("case_id", sa.String(36), primary_key=True))
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(36), primary_key=True))
    op.create_table(
        "duplicate_candidates",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("other_case_id", sa.String(36), primary_key=True),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_duplicate_candidates_other_case_id", "duplicate_candidates",
                    ["other_case_id"])
    op.create_table(
        "command_results",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def _create_audit_log():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("actor_role", sa.String(32), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False))
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _APPEND_ONLY_POSTGRES:
            op.execute(statement)
    else:
        for verb in ("update", "delete"):
            op.execute(_APPEND_ONLY_SQLITE.format(verb=verb, VERB=verb.upper()))


def downgrade():
    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("command_results", "duplicate_candidates", "search_terms", "blocking_keys",
                  "case_transitions"):
        op.drop_table(table)
    for index in ("ix_cases_country_newest", "ix_cases_programme_newest",
                  "ix_cases_status_newest", "ix_cases_newest"):
        op.drop_index(index, "cases")
    with op.batch_alter_table("cases") as batch:
        for column in ("protected", "sensitive_data", "eligibility_reasons", "other_vulnerability",
                       "vulnerability_factors", "return_country", "assigned_caseworker_id"):
            batch.drop_column(column)
