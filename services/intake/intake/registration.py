"""Registration of a person into a programme (walking-skeleton scope).

The full registration (every field of DOMAIN.md §2, eligibility rules, vulnerability,
duplicates) is built on top of this in the intake issue; what is here already keeps the
promises the backbone makes: validated input, one transaction for the case and its event,
ids only in the event.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from cerberus import Validator

from reintegra.contracts.errors import InvalidInput, NotFound
from intake.programmes import _flatten, get_programme
from intake.tables import cases

REGISTRATION_SCHEMA = {
    "programme_id": {"type": "string", "required": True, "empty": False},
    "given_names": {"type": "string", "required": True, "empty": False, "maxlength": 200},
    "family_names": {"type": "string", "required": True, "empty": False, "maxlength": 200},
    "date_of_birth": {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"},
    "nationality": {"type": "string", "required": True, "regex": "^[A-Z]{2}$"},
    "return_country": {"type": "string", "required": True, "regex": "^[A-Z]{2}$"},
    "consent": {"type": "dict", "required": True, "schema": {
        "given": {"type": "boolean", "required": True, "allowed": [True]},
        "date": {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"},
        "scope": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"}}}},
    "intends_to_apply_for_reintegration": {"type": "boolean", "default": False},
}


def register_case(uow, payload: dict, actor: dict) -> dict:
    validator = Validator(REGISTRATION_SCHEMA)
    if not validator.validate(payload or {}):
        raise InvalidInput("the registration is not valid", fields=_flatten(validator.errors))
    person = validator.document
    get_programme(uow.session, person["programme_id"])
    case_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    uow.session.execute(cases.insert().values(
        id=case_id, programme_id=person["programme_id"], status="registered", person=person,
        registered_by=actor["id"], registered_at=now))
    uow.publish("case_registered", {
        "case_id": case_id, "programme_id": person["programme_id"], "status": "registered",
        "return_country": person["return_country"], "vulnerability_level": "none",
        "intends_to_apply": person["intends_to_apply_for_reintegration"],
        "registered_at": now.isoformat()})
    return {"id": case_id, "status": "registered", "possible_duplicates": []}


def get_case(session, case_id: str) -> dict:
    row = session.execute(sa.select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        raise NotFound(f"case {case_id} not found")
    return {"id": row.id, "programme_id": row.programme_id, "status": row.status,
            "person": row.person, "registered_at": row.registered_at.isoformat()}
