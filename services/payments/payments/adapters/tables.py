"""Payments' tables: programmes and cases learned from events, the budget ledger, instalment
schedules, payout methods, batches and payouts."""
import sqlalchemy as sa

metadata = sa.MetaData()

_KEY = sa.String(200)  # operation ids and ledger references ("plan:<uuid>:v2:reserve")

programmes = sa.Table(
    "programmes", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("allowance_cap", sa.BigInteger, nullable=False),
    sa.Column("instalment_split", sa.JSON, nullable=False),
    sa.Column("justification_threshold_percent", sa.Integer, nullable=False),
    sa.Column("voucher_expiry_days", sa.Integer, nullable=False, server_default="30"),
)

beneficiary_cases = sa.Table(
    "beneficiary_cases", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("return_country", sa.String(2), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# The journal: one row per ledger operation (its id is the caller's idempotency key) and
# its postings. Append-only: nothing here is ever updated or deleted.
ledger_operations = sa.Table(
    "ledger_operations", metadata,
    sa.Column("operation_id", _KEY, primary_key=True),
    sa.Column("request_fingerprint", sa.String(64), nullable=False),
    sa.Column("transaction_id", sa.String(36), nullable=True),
    sa.Column("operation", sa.String(32), nullable=False),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("reference", _KEY, nullable=False),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

ledger_postings = sa.Table(
    "ledger_postings", metadata,
    sa.Column("id", sa.String(36), nullable=False),
    # Not indexed: nothing finds postings by transaction (migration 0008).
    sa.Column("transaction_id", sa.String(36), nullable=False),
    sa.Column("operation_id", _KEY, nullable=False),
    sa.Column("operation", sa.String(32), nullable=False),
    sa.Column("programme_id", sa.String(36), nullable=False, index=True),
    sa.Column("funding_source", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("reference", _KEY, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # Report dimensions, written with the posting (domain.postings.Posting).
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("route", sa.String(32), nullable=True),
    # Keyed by operation first, so that a chunk's postings are stored together (migration 0010).
    sa.PrimaryKeyConstraint("operation_id", "id", name="pk_ledger_postings_by_operation"),
)

# Running balances derived from the postings, kept so that the rows an operation can drive
# down can be locked; the CHECKs are the backstop should a lock ever be missed.
budget_balances = sa.Table(
    "budget_balances", metadata,
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("funding_source", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.CheckConstraint("kind <> 'available' OR amount >= 0", name="available_not_negative"),
)

budget_earmarks = sa.Table(
    "budget_earmarks", metadata,
    # One row per reference and funding source (migration 0009); the key starts with the
    # ledger's lookup, a programme's references.
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("reference", _KEY, primary_key=True),
    sa.Column("funding_source", sa.String(64), primary_key=True),
    # What the reference holds in each earmarked kind of account (domain.postings.EARMARKED).
    sa.Column("reserved", sa.BigInteger, nullable=False),
    sa.Column("paid", sa.BigInteger, nullable=False),
    sa.Column("returned", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    # The reference's country, fixed by its first reservation (domain.ledger).
    sa.Column("country", sa.String(2), nullable=True),
    sa.CheckConstraint("reserved >= 0 AND paid >= 0 AND returned >= 0",
                       name="earmark_not_negative"),
)

# What payments knows of a case's journey, whatever order the events came in.
case_facts = sa.Table(
    "case_facts", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("arrived", sa.Boolean, nullable=False, default=False),
    sa.Column("withdrawn", sa.Boolean, nullable=False, default=False),
    sa.Column("justified", sa.JSON, nullable=False),  # {instalment id: minor units}
    sa.Column("monitoring_contacts", sa.JSON, nullable=False),  # [contact id]
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("plan_id", sa.String(36), primary_key=True),
    sa.Column("case_id", sa.String(36), nullable=False, index=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("reservation_id", _KEY, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("cap", sa.BigInteger, nullable=False),
    sa.Column("justification_threshold_percent", sa.Integer, nullable=False),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
)

instalments = sa.Table(
    "instalments", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("plan_id", sa.String(36), nullable=False, index=True),
    sa.Column("case_id", sa.String(36), nullable=False, index=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("paid", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("share", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
    # Only due instalments, the ones a batch asks for; a payment does not touch it (0011).
    sa.Index("ix_instalments_due", "programme_id", "due_at",
             sqlite_where=sa.text("status = 'due'"), postgresql_where=sa.text("status = 'due'")),
)

payout_methods = sa.Table(
    "payout_methods", metadata,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("route", sa.String(32), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

payout_batches = sa.Table(
    "payout_batches", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=True),
    sa.Column("prepared_by", sa.String(64), nullable=False),
    sa.Column("released_by", sa.String(64), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("payout_count", sa.Integer, nullable=False),
    sa.Column("skipped", sa.JSON, nullable=False),
    sa.Column("request_key", sa.String(200), nullable=True, unique=True),
    sa.Column("request_fingerprint", sa.String(64), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
)

payouts = sa.Table(
    "payouts", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("instalment_id", sa.String(36), nullable=False, index=True),
    sa.Column("case_id", sa.String(36), nullable=False),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("reservation_id", _KEY, nullable=False),
    sa.Column("batch_id", sa.String(36), nullable=True, index=True),
    sa.Column("payee_id", sa.String(36), nullable=False),
    # Who the payout pays (payee_tables.py): the beneficiary (payee_id is the case id), or a
    # supplier paid against its invoice for a plan line, or a trusted third party.
    sa.Column("payee_kind", sa.String(16), nullable=False, server_default="beneficiary"),
    sa.Column("plan_line_id", sa.String(64), nullable=True),
    sa.Column("document_reference", sa.String(100), nullable=True),
    sa.Column("route", sa.String(32), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False),
    # Stored with the payout, before any provider call; sent with every call.
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("provider_reference", sa.String(64), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("failure_reason", sa.String(64), nullable=True),
    sa.Column("rerouted_to", sa.String(36), nullable=True),
    # A voucher's collection details; none is SQL NULL, not JSON 'null', so that the three
    # loads and saves of every other payout skip the JSON codec.
    sa.Column("collection", sa.JSON(none_as_null=True), nullable=True),
    # Fixed at release (service_layer/exchange_rates.py): what the payee is paid in another
    # currency than the programme's, with the rate used; a cash voucher's expiry.
    sa.Column("payout_currency", sa.String(3), nullable=True),
    sa.Column("payout_amount", sa.BigInteger, nullable=True),
    sa.Column("exchange_rate", sa.String(40), nullable=True),
    sa.Column("rate_date", sa.Date, nullable=True),
    sa.Column("rate_source", sa.String(16), nullable=True),
    sa.Column("voucher_expires_at", sa.DateTime(timezone=True), nullable=True),
    # The lease of whoever is calling the provider, and when to try or poll again.
    sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("instalment_id", "sequence", name="one_payout_per_sequence"),
    sa.Index("ix_payouts_status_next", "status", "next_attempt_at"),
    # Progress of a batch counted from the index alone (service_layer/batch_progress.py).
    sa.Index("ix_payouts_batch_status", "batch_id", "status"),
)
