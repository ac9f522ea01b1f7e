"""Validation of a transition request body: {to, reason?, data?}.

This checks shapes only (a known state, text, real dates, an airport code). Which reason
and data a particular move requires, and whether the dates fit the case, is the
journey's rule (intake.domain.journey), reported in the same {"field.path": [...]} form.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..domain.journey import CaseStatus
from .fields import any_date, choice, text
from .validator import IntakeValidator

TRANSITION_REQUEST_SCHEMA = {
    "to": choice(CaseStatus, required=True),
    "reason": text(2000, nullable=True),
    "data": {"type": "dict", "schema": {
        "travel_date": any_date(),
        "destination_airport": {"type": "string", "coerce": "upper", "check_with": "airport"},
        "arrival_date": any_date()}},
}


def validate_transition_request(payload: Any) -> tuple[dict | None, dict[str, list[str]]]:
    if not isinstance(payload, Mapping):
        return None, {"body": ["must be a JSON object"]}
    validator = IntakeValidator(TRANSITION_REQUEST_SCHEMA)
    if validator.validate(dict(payload)):
        return validator.document, {}
    return None, dict(validator.errors)
