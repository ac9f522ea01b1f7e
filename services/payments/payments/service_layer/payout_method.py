"""How a case is paid: a route and its details, validated per route (cerberus).

Only the routes the sandbox partner carries are validated here (mobile money, cash pickup);
bank, card, supplier and third-party routes come with their adapters.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from cerberus import Validator

from reintegra.contracts.errors import InvalidInput, NotFound, RuleViolation

from payments.adapters.tables import beneficiary_cases, payout_methods

ROUTES = ("bank_account", "mobile_money", "cash_pickup", "prepaid_card", "supplier", "third_party")
_NAME = {"type": "string", "required": True, "empty": False, "maxlength": 100}
DETAILS = {
    "mobile_money": {
        "phone": {"type": "string", "required": True, "regex": r"^\+[1-9]\d{6,14}$"},
        "operator": {"type": "string", "required": True, "empty": False, "maxlength": 40},
    },
    "cash_pickup": {
        "given_name": _NAME, "family_name": _NAME,
        "id_document_type": {"type": "string", "required": True,
                             "allowed": ["passport", "national_id", "travel_document", "other"]},
        "id_document_number": {"type": "string", "required": True, "empty": False,
                               "maxlength": 40},
    },
}


def validated(body: dict) -> tuple[str, dict]:
    route, details = body.get("route"), body.get("details")
    if route not in ROUTES:
        raise InvalidInput("unknown payout route", fields={"route": [f"one of {', '.join(ROUTES)}"]})
    if route not in DETAILS:
        raise RuleViolation(f"payouts by {route} are not available yet",
                            fields={"route": ["not available yet"]})
    checker = Validator(DETAILS[route])
    if not isinstance(details, dict) or not checker.validate(details):
        errors = checker.errors if isinstance(details, dict) else {"": ["must be an object"]}
        raise InvalidInput(f"invalid {route} details",
                           fields={f"details.{k}".rstrip("."): [str(e) for e in v]
                                   for k, v in errors.items()})
    return route, checker.document


def set_payout_method(uow, case_id: str, body: dict, actor_id: str | None) -> dict:
    route, details = validated(body)
    if uow.session.execute(sa.select(beneficiary_cases.c.case_id).where(
            beneficiary_cases.c.case_id == case_id)).first() is None:
        raise NotFound(f"no case {case_id}")
    values = dict(route=route, details=details, updated_by=actor_id,
                  updated_at=datetime.now(timezone.utc))
    updated = uow.session.execute(payout_methods.update().where(
        payout_methods.c.case_id == case_id).values(**values)).rowcount
    if not updated:
        uow.session.execute(payout_methods.insert().values(case_id=case_id, **values))
    return {"case_id": case_id, "route": route, "details": details}
