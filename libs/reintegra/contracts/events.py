"""The data contracts of every event, by (source service, event type) and version.

Rules: ids, dates, amounts and codes only; never names, contact details or sensitive facts
(trafficking, health, substance dependence). A vulnerability *level* is the most an event
may say about vulnerability. Fields are only ever added: a change is a new version whose
schema is a superset of the previous one.
"""
from __future__ import annotations

_ID = {"type": "string", "required": True, "empty": False, "maxlength": 64}
_OPTIONAL_ID = {"type": "string", "nullable": True, "maxlength": 64}
_DATE = {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"}
_OPTIONAL_DATE = {"type": "string", "nullable": True, "regex": r"^\d{4}-\d{2}-\d{2}$"}
_TIMESTAMP = {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}T.*"}
_COUNTRY = {"type": "string", "required": True, "regex": "^[A-Z]{2}$"}
_CURRENCY = {"type": "string", "required": True, "regex": "^[A-Z]{3}$"}
_AMOUNT = {"type": "integer", "required": True, "min": 0}
_MONEY = {"type": "dict", "required": True, "schema": {"amount": _AMOUNT, "currency": _CURRENCY}}
_LEVEL = {"type": "string", "required": True, "allowed": ["none", "low", "medium", "high"]}

_CASE_TRANSITION = {
    "case_id": _ID, "programme_id": _ID,
    "from_status": {"type": "string", "required": True},
    "to_status": {"type": "string", "required": True},
    "at": _TIMESTAMP,
}

CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    ("intake", "programme_created"): {1: {
        "programme_id": _ID, "code": {"type": "string", "required": True},
        "currency": _CURRENCY, "allowance_cap": _MONEY,
        "instalment_split": {"type": "list", "required": True, "schema": {"type": "integer", "min": 0}},
        "monitoring_months": {"type": "integer", "required": True, "min": 1},
        "justification_threshold_percent": {"type": "integer", "required": True, "min": 0, "max": 100},
        "funding_sources": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "code": _ID, "budget": _MONEY}}},
        "start_date": _DATE, "end_date": _OPTIONAL_DATE,
    }},
    ("intake", "case_registered"): {1: {
        "case_id": _ID, "programme_id": _ID,
        "status": {"type": "string", "required": True, "allowed": ["registered", "rejected"]},
        "return_country": _COUNTRY,
        "vulnerability_level": _LEVEL,
        "intends_to_apply": {"type": "boolean", "required": True},
        "registered_at": _TIMESTAMP,
    }},
    **{("intake", name): {1: dict(_CASE_TRANSITION, **extra)} for name, extra in {
        "case_counselled": {},
        "case_return_approved": {},
        "case_travel_booked": {"travel_date": _DATE},
        "case_departed": {},
        "case_arrived": {"arrival_date": _DATE},
        "case_closed": {},
        "case_withdrawn": {},
        "case_rejected": {},
    }.items()},
    ("plans", "plan_approved"): {1: {
        "case_id": _ID, "plan_id": _ID, "programme_id": _ID,
        "version": {"type": "integer", "required": True, "min": 1},
        "total": _MONEY, "currency": _CURRENCY, "reservation_id": _ID,
        "lines": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "category": {"type": "string", "required": True}, "amount": _MONEY}}},
    }},
    ("plans", "plan_revised"): {1: {
        "case_id": _ID, "plan_id": _ID, "programme_id": _ID,
        "version": {"type": "integer", "required": True, "min": 1},
        "total": _MONEY, "needs_approval": {"type": "boolean", "required": True},
    }},
    ("plans", "plan_cancelled"): {1: {
        "case_id": _ID, "plan_id": _ID, "programme_id": _ID, "reservation_id": _OPTIONAL_ID,
    }},
    ("payments", "budget_reserved"): {1: {
        "reservation_id": _ID, "programme_id": _ID, "amount": _MONEY}},
    ("payments", "budget_released"): {1: {
        "reservation_id": _ID, "programme_id": _ID, "amount": _MONEY}},
    ("payments", "instalment_due"): {1: {
        "instalment_id": _ID, "case_id": _ID, "plan_id": _ID,
        "number": {"type": "integer", "required": True, "min": 1}, "amount": _MONEY}},
    ("payments", "payout_released"): {1: {
        "payout_id": _ID, "instalment_id": _ID, "case_id": _ID, "batch_id": _OPTIONAL_ID,
        "route": {"type": "string", "required": True}, "amount": _MONEY}},
    ("payments", "payout_paid"): {1: {
        "payout_id": _ID, "instalment_id": _ID, "case_id": _ID,
        "route": {"type": "string", "required": True}, "amount": _MONEY}},
    ("payments", "payout_failed"): {1: {
        "payout_id": _ID, "instalment_id": _ID, "case_id": _ID,
        "route": {"type": "string", "required": True}, "amount": _MONEY,
        "reason": {"type": "string", "required": True, "maxlength": 64}}},
    # Produced by the expenses (justification) work and by monitoring; defined now so that
    # payments can gate the second instalment on them.
    ("payments", "expenses_justified"): {1: {
        "case_id": _ID, "instalment_id": _ID, "justified": _MONEY}},
    ("monitoring", "monitoring_contact_completed"): {1: {
        "case_id": _ID, "contact_id": _ID, "completed_on": _DATE,
        "month": {"type": "integer", "required": True, "min": 0}}},
    ("monitoring", "case_recorded"): {1: {"case_id": _ID, "programme_id": _ID}},
}
