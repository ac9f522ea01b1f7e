"""Events announced by intake: programmes, registrations and the return journey."""
from __future__ import annotations

from reintegra.contracts.fields import COUNTRY, CURRENCY, DATE, ID, LEVEL, MONEY, OPTIONAL_DATE, TIMESTAMP

_CASE_TRANSITION = {
    "case_id": ID, "programme_id": ID,
    "from_status": {"type": "string", "required": True},
    "to_status": {"type": "string", "required": True},
    "at": TIMESTAMP,
}

CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    ("intake", "programme_created"): {1: {
        "programme_id": ID, "code": {"type": "string", "required": True},
        "currency": CURRENCY, "allowance_cap": MONEY,
        "instalment_split": {"type": "list", "required": True, "schema": {"type": "integer", "min": 0}},
        "monitoring_months": {"type": "integer", "required": True, "min": 1},
        "justification_threshold_percent": {"type": "integer", "required": True, "min": 0, "max": 100},
        "funding_sources": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "code": ID, "budget": MONEY}}},
        "start_date": DATE, "end_date": OPTIONAL_DATE,
        # Days a cash pickup voucher can be collected; absent from older events (then 30).
        "voucher_expiry_days": {"type": "integer", "required": False, "min": 1},
    }},
    ("intake", "case_registered"): {1: {
        "case_id": ID, "programme_id": ID,
        "status": {"type": "string", "required": True, "allowed": ["registered", "rejected"]},
        "return_country": COUNTRY,
        "vulnerability_level": LEVEL,
        "intends_to_apply": {"type": "boolean", "required": True},
        "registered_at": TIMESTAMP,
    }},
    **{("intake", name): {1: dict(_CASE_TRANSITION, **extra)} for name, extra in {
        "case_counselled": {},
        "case_return_approved": {},
        "case_travel_booked": {"travel_date": DATE},
        "case_departed": {},
        "case_arrived": {"arrival_date": DATE},
        "case_closed": {},
        "case_withdrawn": {},
        "case_rejected": {},
    }.items()},
}
