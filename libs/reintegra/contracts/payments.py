"""Events announced by payments: budget, instalments, payouts, justification."""
from __future__ import annotations

from reintegra.contracts.fields import ID, OPTIONAL_ID, MONEY

CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    ("payments", "budget_reserved"): {1: {
        "reservation_id": ID, "programme_id": ID, "amount": MONEY}},
    ("payments", "budget_released"): {1: {
        "reservation_id": ID, "programme_id": ID, "amount": MONEY}},
    ("payments", "instalment_due"): {1: {
        "instalment_id": ID, "case_id": ID, "plan_id": ID,
        "number": {"type": "integer", "required": True, "min": 1}, "amount": MONEY}},
    ("payments", "payout_released"): {1: {
        "payout_id": ID, "instalment_id": ID, "case_id": ID, "batch_id": OPTIONAL_ID,
        "route": {"type": "string", "required": True}, "amount": MONEY}},
    ("payments", "payout_paid"): {1: {
        "payout_id": ID, "instalment_id": ID, "case_id": ID,
        "route": {"type": "string", "required": True}, "amount": MONEY}},
    ("payments", "payout_failed"): {1: {
        "payout_id": ID, "instalment_id": ID, "case_id": ID,
        "route": {"type": "string", "required": True}, "amount": MONEY,
        "reason": {"type": "string", "required": True, "maxlength": 64}}},
    # Produced by the expenses (justification) work; defined now so that payments can gate
    # the second instalment on it (monitoring_contact_completed is in monitoring.py).
    ("payments", "expenses_justified"): {1: {
        "case_id": ID, "instalment_id": ID, "justified": MONEY}},
    # Payments' own work queue: a released batch is announced in chunks, which payments
    # itself consumes to submit the payouts (ids only). No other service needs to listen.
    ("payments", "payout_chunk_released"): {1: {
        "batch_id": ID, "payout_ids": {"type": "list", "required": True, "minlength": 1,
                                       "schema": {"type": "string", "maxlength": 64}}}},
}

# Work orders: consumed by competing payments processes, each message one unit of work, so
# the outbox relay never carries several in one message (reintegra.messaging.carrier).
WORK_ORDERS = {("payments", "payout_chunk_released")}
