"""Request bodies checked for shape (400 naming each field) and turned into domain values.

Shape only: whether a well-formed request keeps the rules (cap, justification, score range)
is the domain's to say, with 422.
"""
from __future__ import annotations

from datetime import date

from cerberus import Validator

from reintegra.contracts.errors import InvalidInput, field_reasons
from reintegra.money import Money

from plans.domain.plan_lines import Category, PlanLine, Supplier
from plans.domain.scoring import Criterion

_MONEY = {"type": "dict", "schema": {
    "amount": {"type": "integer", "required": True},
    "currency": {"type": "string", "required": True, "regex": "^[A-Z]{3}$"}}}
_DATE = {"type": "string", "regex": r"^\d{4}-\d{2}-\d{2}$"}
_TEXT = {"type": "string", "maxlength": 4000}
_VERSION = {"type": "integer", "min": 1}

_LINE = {"type": "dict", "schema": {
    "category": {"type": "string", "required": True, "allowed": [c.value for c in Category]},
    "description": dict(_TEXT, required=True),
    "amount": dict(_MONEY, required=True),
    "supplier": {"type": "dict", "nullable": True, "schema": {
        "name": {"type": "string", "required": True, "maxlength": 200},
        "reference": {"type": "string", "nullable": True, "maxlength": 200}}},
    "justification": dict(_TEXT, nullable=True),
}}
_LINES = {"type": "list", "required": True, "schema": _LINE}

APPLICATION = {
    "interview_date": dict(_DATE, required=True),
    "needs": dict(_TEXT, required=True),
    "skills": _TEXT,
    "intended_use": dict(_TEXT, required=True),
    "household_situation": _TEXT,
    "requested_amount": dict(_MONEY, nullable=True),
    "scores": {"type": "dict", "required": True, "schema": {
        c.value: {"type": "integer", "required": True} for c in Criterion}},
}
NEW_PLAN = {"lines": _LINES}
REVISION = {"lines": _LINES, "reason": dict(_TEXT, required=True)}
VERSION_ACTION = {"version": _VERSION}
REJECTION = {"version": _VERSION, "reason": dict(_TEXT, required=True)}
WEIGHTS = {"version": {"type": "string", "nullable": True, "maxlength": 40,
                       "regex": r"^[A-Za-z0-9._-]+$"},
           "weights": {"type": "dict", "required": True, "schema": {
               c.value: {"type": "integer", "required": True} for c in Criterion}}}


def checked(schema: dict, body: dict | None) -> dict:
    validator = Validator(schema)
    if not validator.validate(body or {}):
        raise InvalidInput("the request is not valid", fields=field_reasons(validator.errors))
    return validator.document


def application(body: dict | None) -> dict:
    request = checked(APPLICATION, body)
    request["interview_date"] = _date(request["interview_date"], "interview_date")
    if request.get("requested_amount"):
        request["requested_amount"] = Money.from_dict(request["requested_amount"])
    return request


def plan_lines(request: dict) -> list[PlanLine]:
    return [PlanLine(Category(line["category"]), line["description"],
                     Money.from_dict(line["amount"]),
                     Supplier(line["supplier"]["name"], line["supplier"].get("reference"))
                     if line.get("supplier") else None,
                     line.get("justification")) for line in request["lines"]]


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("the request is not valid", fields={field: ["not a date"]}) from None

