"""SQLite schema of the partner and the queries that read it whole.

A voucher is also a row in ``transfers`` (kind 'voucher'), so counts per payout and the
disbursement status endpoint cover both routes.
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS transfers (
    reference_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('transfer', 'voucher')),
    external_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    payee_json TEXT,
    payer_message TEXT,
    payee_note TEXT,
    fingerprint TEXT NOT NULL,
    callback_url TEXT,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SUCCESSFUL', 'FAILED')),
    reason_code TEXT,
    planned_failure TEXT,
    callback_copies INTEGER NOT NULL,
    stale_pending_callback INTEGER NOT NULL,
    financial_transaction_id TEXT UNIQUE,
    submissions INTEGER NOT NULL DEFAULT 1,
    accepted_at INTEGER NOT NULL,
    settle_at INTEGER,
    settled_at INTEGER
);
CREATE INDEX IF NOT EXISTS transfers_due ON transfers (settle_at)
    WHERE status = 'PENDING' AND kind = 'transfer';
CREATE TABLE IF NOT EXISTS vouchers (
    reference_id TEXT PRIMARY KEY REFERENCES transfers (reference_id),
    voucher_code TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    id_document_type TEXT NOT NULL,
    id_document_number TEXT NOT NULL,
    voucher_status TEXT NOT NULL
        CHECK (voucher_status IN ('ISSUED', 'COLLECTED', 'EXPIRED', 'CANCELLED')),
    expires_at INTEGER NOT NULL,
    collected_at INTEGER
);
CREATE INDEX IF NOT EXISTS vouchers_due ON vouchers (expires_at) WHERE voucher_status = 'ISSUED';
CREATE TABLE IF NOT EXISTS account_holders (
    msisdn TEXT PRIMARY KEY,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS callbacks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference_id TEXT NOT NULL,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'abandoned')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS callbacks_queue ON callbacks (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS callbacks_by_transfer ON callbacks (reference_id, id) WHERE state = 'pending';
"""

SELECT_TRANSFER = """
SELECT t.*, t.rowid AS seq, v.voucher_code, v.given_name, v.family_name, v.id_document_type,
       v.id_document_number, v.voucher_status, v.expires_at, v.collected_at
FROM transfers t LEFT JOIN vouchers v ON v.reference_id = t.reference_id
"""

# Callbacks for one transfer go out one at a time, in the order they were queued.
HEAD_OF_ITS_TRANSFER = """
c.state = 'pending' AND c.id = (SELECT MIN(id) FROM callbacks
                                WHERE reference_id = c.reference_id AND state = 'pending')
"""
