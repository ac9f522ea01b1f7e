"""Events announced by plans: the individual reintegration plan's approvals and changes.

`reservation_id` is the plan's one earmark in the programme budget (`plan:<plan_id>`): every
version of the plan draws on it, so payments can find what a plan holds by that reference.
"""
from __future__ import annotations

from reintegra.contracts.fields import ID, OPTIONAL_ID, CURRENCY, MONEY

CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    ("plans", "plan_approved"): {1: {
        "case_id": ID, "plan_id": ID, "programme_id": ID,
        "version": {"type": "integer", "required": True, "min": 1},
        "total": MONEY, "currency": CURRENCY, "reservation_id": ID,
        "lines": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "category": {"type": "string", "required": True}, "amount": MONEY}}},
    }},
    ("plans", "plan_revised"): {1: {
        "case_id": ID, "plan_id": ID, "programme_id": ID,
        "version": {"type": "integer", "required": True, "min": 1},
        "total": MONEY, "needs_approval": {"type": "boolean", "required": True},
    }},
    ("plans", "plan_cancelled"): {1: {
        "case_id": ID, "plan_id": ID, "programme_id": ID, "reservation_id": OPTIONAL_ID,
        # Added field: the total of the version that was in force (what plans asks back).
        "released": dict(MONEY, required=False),
    }},
}
