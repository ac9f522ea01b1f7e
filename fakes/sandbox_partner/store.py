"""Durable state of the partner in SQLite: transfers, vouchers, account holders, callbacks.

One connection serialised by a lock: the server is threaded, and ordering writes in-process
is simpler and faster than letting SQLite's busy handler arbitrate between connections.
A state change and the callbacks it causes commit in one transaction (an outbox), so a
crash never loses a callback nor sends one for a change that did not happen.
"""
import enum
import json
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import vouchers
from .errors import PartnerError
from .faults import TransferPlan
from .schema import HEAD_OF_ITS_TRANSFER, SCHEMA, SELECT_TRANSFER
from .views import callback_payload, stale_callback_payload

_SETTLE_BATCH = 500


class Outcome(enum.Enum):
    CREATED = "created"
    REPLAYED = "replayed"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Submission:
    """A validated request to move money, keyed by the payer's reference id."""
    reference_id: str
    kind: str
    external_id: str
    amount: str
    currency: str
    fingerprint: str
    callback_url: str | None
    accepted_at: int
    settle_at: int | None = None
    payee: dict | None = None
    payer_message: str | None = None
    payee_note: str | None = None


@dataclass(frozen=True)
class Recipient:
    """Who may collect a cash-pickup voucher, and until when."""
    given_name: str
    family_name: str
    id_document_type: str
    id_document_number: str
    expires_at: int


class PartnerStore:
    def __init__(self, path: Path):
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # WAL with synchronous=NORMAL survives a killed process, which is what tests do.
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _reading(self):
        with self._lock:
            yield self._db

    # --- submissions -------------------------------------------------------------------

    def submit(self, submission: Submission, plan_new: Callable[[str], TransferPlan],
               recipient: Recipient | None = None) -> tuple[Outcome, dict]:
        """Stores a new transfer or voucher once per reference id.

        The same reference with the same request is a replay (counted, nothing new); with a
        different request it is a conflict. ``plan_new`` is consulted only for new ones.
        """
        with self._transaction() as db:
            outcome, row = self._store_one(db, submission, plan_new, recipient)
            if outcome is Outcome.CREATED:
                row = _find(db, "WHERE t.reference_id = ?", submission.reference_id)
            return outcome, row

    def submit_many(self, submissions: list[Submission],
                    plan_new: Callable[[str], TransferPlan]) -> list[Outcome]:
        """`submit` for a bulk request's transfers, in one transaction (same rules each)."""
        with self._transaction() as db:
            return [self._store_one(db, submission, plan_new)[0] for submission in submissions]

    @classmethod
    def _store_one(cls, db, submission: Submission, plan_new: Callable[[str], TransferPlan],
                   recipient: Recipient | None = None) -> tuple[Outcome, dict | None]:
        """One submission inside the caller's transaction: a replay or conflict with the row
        already stored, or a new transfer (and its voucher) with no row; the caller reads
        the new row only if it needs it."""
        existing = _find(db, "WHERE t.reference_id = ?", submission.reference_id)
        if existing is not None:
            return cls._replay(db, existing, submission)
        _insert_transfer(db, submission, plan_new(submission.kind))
        if recipient is not None:
            _insert_voucher(db, submission.reference_id, recipient)
        return Outcome.CREATED, None

    @staticmethod
    def _replay(db, existing: dict, submission: Submission) -> tuple[Outcome, dict]:
        if existing["kind"] != submission.kind or existing["fingerprint"] != submission.fingerprint:
            return Outcome.CONFLICT, existing
        db.execute("UPDATE transfers SET submissions = submissions + 1 WHERE reference_id = ?",
                   (submission.reference_id,))
        return Outcome.REPLAYED, {**existing, "submissions": existing["submissions"] + 1}

    def transfers(self, reference_ids: list[str]) -> dict[str, dict]:
        with self._reading() as db:
            found = {}
            for start in range(0, len(reference_ids), 500):
                chunk = reference_ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found.update({row["reference_id"]: row for row in _find_all(
                    db, f"WHERE t.reference_id IN ({marks})", *chunk)})
            return found

    def transfer_counts(self) -> dict:
        """Totals for oversight of large runs, without listing every transfer."""
        with self._reading() as db:
            totals = db.execute(
                "SELECT count(*), count(DISTINCT external_id), coalesce(sum(submissions), 0)"
                " FROM transfers").fetchone()
            most = db.execute("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n"
                              " FROM transfers GROUP BY external_id)").fetchone()[0]
            by_status = dict(db.execute(
                "SELECT status, count(*) FROM transfers GROUP BY status").fetchall())
        return {"transfers": totals[0], "distinctExternalIds": totals[1],
                "submissions": totals[2], "maxPerExternalId": most, "byStatus": by_status}

    def transfer(self, reference_id: str) -> dict | None:
        with self._reading() as db:
            return _find(db, "WHERE t.reference_id = ?", reference_id)

    # --- settlement --------------------------------------------------------------------

    def settle_due(self, now: int) -> int:
        """Moves PENDING transfers whose settle time has come to their planned final state."""
        with self._transaction() as db:
            due = _find_all(db, "WHERE t.kind = 'transfer' AND t.status = 'PENDING'"
                                " AND t.settle_at <= ? ORDER BY t.settle_at LIMIT ?",
                            now, _SETTLE_BATCH)
            for row in due:
                failure = row["planned_failure"]
                _finish_transfer(db, row, "FAILED" if failure else "SUCCESSFUL", failure, now)
            return len(due)

    def expire_due_vouchers(self, now: int) -> int:
        with self._transaction() as db:
            due = _find_all(db, "WHERE v.voucher_status = 'ISSUED' AND v.expires_at <= ? LIMIT ?",
                            now, _SETTLE_BATCH)
            for row in due:
                _finish_voucher(db, row, "EXPIRED", now)
            return len(due)

    def next_settlement_at(self) -> int | None:
        with self._reading() as db:
            return db.execute(
                "SELECT MIN(at) FROM ("
                " SELECT MIN(settle_at) AS at FROM transfers"
                "  WHERE status = 'PENDING' AND kind = 'transfer'"
                " UNION ALL"
                " SELECT MIN(expires_at) FROM vouchers WHERE voucher_status = 'ISSUED')"
            ).fetchone()[0]

    # --- vouchers ----------------------------------------------------------------------

    def voucher(self, reference_id: str) -> dict | None:
        with self._reading() as db:
            return _find(db, "WHERE t.reference_id = ? AND t.kind = 'voucher'", reference_id)

    def collect_voucher(self, voucher_code: str, id_document_number: str, now: int) -> dict:
        with self._transaction() as db:
            row = _find(db, "WHERE v.voucher_code = ?", voucher_code)
            if row is None:
                raise PartnerError(404, "VOUCHER_NOT_FOUND", "no voucher has this code")
            if vouchers.is_overdue(row["voucher_status"], row["expires_at"], now):
                row = _finish_voucher(db, row, "EXPIRED", now)
            refusal = vouchers.collection_refusal(
                row["voucher_status"], row["id_document_number"], id_document_number)
            if refusal is None:
                row = _finish_voucher(db, row, "COLLECTED", now)
        # Raised after commit: a voucher found overdue stays EXPIRED even though we refuse.
        if refusal is not None:
            raise refusal
        return row

    def end_voucher(self, reference_id: str, final_status: str, now: int) -> dict:
        """Expires or cancels a voucher that is still ISSUED."""
        with self._transaction() as db:
            row = _find(db, "WHERE t.reference_id = ? AND t.kind = 'voucher'", reference_id)
            if row is None:
                raise PartnerError(404, "RESOURCE_NOT_FOUND", "no voucher has this reference id")
            vouchers.ensure_still_issued(row["voucher_status"])
            return _finish_voucher(db, row, final_status, now)

    # --- account holders ---------------------------------------------------------------

    def add_account_holders(self, holders: list[tuple[str, str, str]]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT INTO account_holders (msisdn, given_name, family_name)"
                           " VALUES (?, ?, ?) ON CONFLICT (msisdn) DO UPDATE SET"
                           " given_name = excluded.given_name, family_name = excluded.family_name",
                           holders)

    def account_holder(self, msisdn: str) -> dict | None:
        with self._reading() as db:
            row = db.execute("SELECT * FROM account_holders WHERE msisdn = ?", (msisdn,)).fetchone()
            return None if row is None else dict(row)

    # --- callbacks ---------------------------------------------------------------------

    def due_callbacks(self, now: int, limit: int, busy_references: set[str]) -> list[dict]:
        """Callbacks whose turn has come, skipping transfers with a delivery in flight."""
        with self._reading() as db:
            rows = db.execute(f"SELECT * FROM callbacks c WHERE c.next_attempt_at <= ? AND"
                              f" {HEAD_OF_ITS_TRANSFER} ORDER BY c.next_attempt_at, c.id LIMIT ?",
                              (now, limit + len(busy_references))).fetchall()
        due = [dict(row) for row in rows if row["reference_id"] not in busy_references]
        return due[:limit]

    def next_callback_at(self, busy_references: set[str]) -> int | None:
        with self._reading() as db:
            rows = db.execute(f"SELECT reference_id, next_attempt_at FROM callbacks c WHERE"
                              f" {HEAD_OF_ITS_TRANSFER} ORDER BY c.next_attempt_at LIMIT ?",
                              (len(busy_references) + 1,)).fetchall()
        times = [row[1] for row in rows if row[0] not in busy_references]
        return min(times, default=None)

    def callback_delivered(self, callback_id: int, now: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE callbacks SET state = 'delivered', attempts = attempts + 1,"
                       " delivered_at = ?, last_error = NULL WHERE id = ?", (now, callback_id))

    def callback_failed(self, callback_id: int, error: str, retry_at: int | None) -> None:
        """Records a failed attempt; without ``retry_at`` the callback is abandoned."""
        state = "pending" if retry_at is not None else "abandoned"
        with self._transaction() as db:
            db.execute("UPDATE callbacks SET state = ?, attempts = attempts + 1, last_error = ?,"
                       " next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
                       (state, error, retry_at, callback_id))

    def callbacks(self) -> list[dict]:
        with self._reading() as db:
            return [dict(row) for row in db.execute("SELECT * FROM callbacks ORDER BY id")]

    # --- oversight ---------------------------------------------------------------------

    def ledger(self) -> list[dict]:
        with self._reading() as db:
            return _find_all(db, "ORDER BY t.accepted_at, t.rowid")

    def reset(self) -> None:
        with self._transaction() as db:
            for table in ("callbacks", "vouchers", "transfers", "account_holders"):
                db.execute(f"DELETE FROM {table}")


def counts_by(rows: list[dict], field: str) -> dict:
    return dict(Counter(row[field] for row in rows))


def _find(db, clauses: str, *params) -> dict | None:
    row = db.execute(f"{SELECT_TRANSFER} {clauses}", params).fetchone()
    return None if row is None else dict(row)


def _find_all(db, clauses: str, *params) -> list[dict]:
    return [dict(row) for row in db.execute(f"{SELECT_TRANSFER} {clauses}", params)]


def _insert_transfer(db, submission: Submission, plan: TransferPlan) -> None:
    db.execute(
        "INSERT INTO transfers (reference_id, kind, external_id, amount, currency, payee_json,"
        " payer_message, payee_note, fingerprint, callback_url, status, planned_failure,"
        " callback_copies, stale_pending_callback, accepted_at, settle_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)",
        (submission.reference_id, submission.kind, submission.external_id, submission.amount,
         submission.currency, None if submission.payee is None else json.dumps(submission.payee),
         submission.payer_message, submission.payee_note, submission.fingerprint,
         submission.callback_url, plan.planned_failure, plan.callback_copies,
         int(plan.stale_pending_callback), submission.accepted_at, submission.settle_at))


def _insert_voucher(db, reference_id: str, recipient: Recipient) -> None:
    while True:
        try:
            db.execute(
                "INSERT INTO vouchers (reference_id, voucher_code, given_name, family_name,"
                " id_document_type, id_document_number, voucher_status, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'ISSUED', ?)",
                (reference_id, vouchers.generate_voucher_code(), recipient.given_name,
                 recipient.family_name, recipient.id_document_type, recipient.id_document_number,
                 recipient.expires_at))
            return
        except sqlite3.IntegrityError:
            continue  # a code collision; the statement rolled back alone, draw another code


def _finish_voucher(db, row: dict, final_status: str, now: int) -> dict:
    collected_at = now if final_status == "COLLECTED" else None
    db.execute("UPDATE vouchers SET voucher_status = ?, collected_at = ? WHERE reference_id = ?",
               (final_status, collected_at, row["reference_id"]))
    status, reason = vouchers.TRANSFER_OUTCOME[final_status]
    return _finish_transfer(db, {**row, "voucher_status": final_status, "collected_at": collected_at},
                            status, reason, now)


def _finish_transfer(db, row: dict, status: str, reason: str | None, now: int) -> dict:
    # Derived from the row id, so unique without a round trip, like an operator's ledger number.
    financial_transaction_id = str(1_000_000_000 + row["seq"]) if status == "SUCCESSFUL" else None
    db.execute("UPDATE transfers SET status = ?, reason_code = ?, financial_transaction_id = ?,"
               " settled_at = ? WHERE reference_id = ?",
               (status, reason, financial_transaction_id, now, row["reference_id"]))
    finished = {**row, "status": status, "reason_code": reason,
                "financial_transaction_id": financial_transaction_id, "settled_at": now}
    _queue_callbacks(db, finished, now)
    return finished


def _queue_callbacks(db, row: dict, now: int) -> None:
    if not row["callback_url"]:
        return
    payloads = [callback_payload(row)] * row["callback_copies"]
    if row["stale_pending_callback"]:
        payloads.append(stale_callback_payload(row))
    db.executemany("INSERT INTO callbacks (reference_id, url, payload, state, next_attempt_at)"
                   " VALUES (?, ?, ?, 'pending', ?)",
                   [(row["reference_id"], row["callback_url"], json.dumps(payload), now)
                    for payload in payloads])
