"""Programmes are data set by an admin, never constants in code (DOMAIN.md §1).

Intake owns them because eligibility is decided at registration; plans and payments learn
each programme's cap, split, budget and monitoring period from `programme_created`.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from cerberus import Validator

from reintegra.contracts.errors import Conflict, InvalidInput, NotFound, field_reasons
from intake.adapters import audit_log
from intake.adapters.tables import programmes
from intake.domain.eligibility import rule_errors

_MONEY = {"type": "dict", "required": True, "schema": {
    "amount": {"type": "integer", "required": True, "min": 0},
    "currency": {"type": "string", "required": True, "regex": "^[A-Z]{3}$"}}}

PROGRAMME_SCHEMA = {
    "code": {"type": "string", "required": True, "regex": "^[A-Za-z0-9_-]{2,32}$"},
    "name": {"type": "string", "required": True, "empty": False, "maxlength": 200},
    "host_country": {"type": "string", "required": True, "regex": "^[A-Z]{2}$"},
    "currency": {"type": "string", "required": True, "regex": "^[A-Z]{3}$"},
    "start_date": {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"},
    "end_date": {"type": "string", "nullable": True, "regex": r"^\d{4}-\d{2}-\d{2}$"},
    "allowance_cap": dict(_MONEY, required=False),
    "instalment_split": {"type": "list", "minlength": 1, "schema": {"type": "integer", "min": 1, "max": 100}},
    "justification_threshold_percent": {"type": "integer", "min": 0, "max": 100},
    "monitoring_months": {"type": "integer", "min": 1, "max": 36},
    "voucher_expiry_days": {"type": "integer", "min": 1, "max": 365},
    "eligibility": {"type": "dict", "allow_unknown": True},
    "funding_sources": {"type": "list", "required": True, "minlength": 1, "schema": {
        "type": "dict", "schema": {"code": {"type": "string", "required": True, "empty": False},
                                   "budget": _MONEY}}},
}

DEFAULTS = {"instalment_split": [50, 50], "justification_threshold_percent": 100,
            "monitoring_months": 6, "eligibility": {"excluded_nationalities": "EU"},
            "voucher_expiry_days": 30}


def validate_programme(payload: dict) -> dict:
    validator = Validator(PROGRAMME_SCHEMA)
    if not validator.validate(payload or {}):
        raise InvalidInput("the programme is not valid", fields=field_reasons(validator.errors))
    doc = {**DEFAULTS, **validator.document}
    doc.setdefault("allowance_cap", {"amount": 200000, "currency": doc["currency"]})
    fields = {}
    if sum(doc["instalment_split"]) != 100:
        fields["instalment_split"] = ["must sum to 100"]
    for i, source in enumerate(doc["funding_sources"]):
        if source["budget"]["currency"] != doc["currency"]:
            fields[f"funding_sources.{i}.budget.currency"] = ["must be the programme currency"]
    if doc["allowance_cap"]["currency"] != doc["currency"]:
        fields["allowance_cap.currency"] = ["must be the programme currency"]
    for rule, reasons in rule_errors(doc["eligibility"]).items():
        fields[f"eligibility.{rule}"] = reasons
    if fields:
        raise InvalidInput("the programme is not valid", fields=fields)
    return doc



def create_programme(uow, payload: dict) -> dict:
    doc = validate_programme(payload)
    exists = uow.session.execute(sa.select(programmes.c.id).where(programmes.c.code == doc["code"])).first()
    if exists:
        raise Conflict(f"programme {doc['code']} already exists", details={"programme_id": exists.id})
    programme_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    settings = {k: v for k, v in doc.items() if k not in ("code", "name", "host_country", "currency")}
    uow.session.execute(programmes.insert().values(
        id=programme_id, code=doc["code"], name=doc["name"], host_country=doc["host_country"],
        currency=doc["currency"], settings=settings, created_at=now))
    audit_log.append(uow.session, actor=uow.actor, action="programme.created",
                     entity_type="programme", entity_id=programme_id, at=now,
                     fields=sorted(doc), after=doc)
    uow.publish("programme_created", {
        "programme_id": programme_id, "code": doc["code"], "currency": doc["currency"],
        "allowance_cap": doc["allowance_cap"], "instalment_split": doc["instalment_split"],
        "monitoring_months": doc["monitoring_months"],
        "justification_threshold_percent": doc["justification_threshold_percent"],
        "funding_sources": doc["funding_sources"], "start_date": doc["start_date"],
        "end_date": doc.get("end_date"), "voucher_expiry_days": doc["voucher_expiry_days"]})
    return {"id": programme_id, **doc}


def get_programme(session, programme_id: str) -> dict:
    row = session.execute(sa.select(programmes).where(programmes.c.id == programme_id)).first()
    if row is None:
        raise NotFound(f"programme {programme_id} not found")
    return {"id": row.id, "code": row.code, "name": row.name, "host_country": row.host_country,
            "currency": row.currency, **row.settings}


def list_programmes(session) -> list[dict]:
    rows = session.execute(sa.select(programmes).order_by(programmes.c.created_at.desc())).all()
    return [{"id": r.id, "code": r.code, "name": r.name, "currency": r.currency} for r in rows]
