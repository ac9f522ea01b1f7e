"""Intake's tables (SQLAlchemy Core); the migrations in migrations/ create them.

Duplicate detection and search never scan `cases`: they look up `blocking_keys` and
`search_terms` by their primary keys, then fetch the few cases found.
"""
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
    # The registration's ordinary fields; sensitive ones live only in `sensitive_data`.
    sa.Column("person", sa.JSON, nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("assigned_caseworker_id", sa.String(64), nullable=False),
    sa.Column("return_country", sa.String(2), nullable=False),
    sa.Column("vulnerability_factors", sa.JSON, nullable=False),
    sa.Column("other_vulnerability", sa.JSON, nullable=True),
    sa.Column("eligibility_reasons", sa.JSON, nullable=False),
    # AES-256-GCM ciphertext (adapters.crypto); NULL when the case has no sensitive data.
    sa.Column("sensitive_data", sa.Text, nullable=True),
    sa.Column("protected", sa.Boolean, nullable=False),
)

case_transitions = sa.Table(
    "case_transitions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("from_status", sa.String(32), nullable=True),
    sa.Column("to_status", sa.String(32), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("actor_role", sa.String(32), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("data", sa.JSON, nullable=False),
)

# One row per (key, case): "doc:…", "phone:…", "name:…|dob|nationality" (domain.duplicates).
blocking_keys = sa.Table(
    "blocking_keys", metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("case_id", sa.String(36), primary_key=True),
)

# One row per (term, case): normalised name tokens, document numbers, phone numbers.
search_terms = sa.Table(
    "search_terms", metadata,
    sa.Column("term", sa.String(200), primary_key=True),
    sa.Column("case_id", sa.String(36), primary_key=True),
)

# A possible duplicate found at registration, and a person's decision about it.
duplicate_candidates = sa.Table(
    "duplicate_candidates", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("other_case_id", sa.String(36), primary_key=True, index=True),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decision", sa.String(16), nullable=True),
    sa.Column("decided_by", sa.String(64), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
)

# The first answer to each idempotent command, so a retried request gets it again.
command_results = sa.Table(
    "command_results", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Append-only (database triggers refuse UPDATE and DELETE) and hash-chained: each row's
# hash covers its content and the previous row's hash, so an edit shows.
audit_log = sa.Table(
    "audit_log", metadata,
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
    sa.Column("hash", sa.String(64), nullable=False),
)

CASE_INDEXES = (
    sa.Index("ix_cases_newest", cases.c.registered_at, cases.c.id),
    sa.Index("ix_cases_status_newest", cases.c.status, cases.c.registered_at, cases.c.id),
    sa.Index("ix_cases_programme_newest", cases.c.programme_id, cases.c.registered_at, cases.c.id),
    sa.Index("ix_cases_country_newest", cases.c.return_country, cases.c.registered_at, cases.c.id),
    sa.Index("ix_audit_log_entity", audit_log.c.entity_id, audit_log.c.id),
)
