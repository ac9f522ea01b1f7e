"""Registering a person into a programme (DOMAIN.md §2): validate everything, decide
eligibility, find possible duplicates, store the case with its sensitive data encrypted,
announce it, audit it — all in one transaction."""
from __future__ import annotations

import uuid
from datetime import datetime

from reintegra.contracts.errors import InvalidInput, NotFound
from intake.adapters import audit_log, duplicate_index
from intake.adapters.metrics import DUPLICATE_CANDIDATES, REGISTRATIONS
from intake.adapters.repository import SENSITIVE_FIELD, CaseRepository
from intake.domain.case import Case
from intake.domain.duplicates import blocking_keys
from intake.domain.eligibility import evaluate
from intake.domain.person import PersonDetails
from intake.domain.roles import CASEWORKER
from intake.domain.vulnerability import derived_factors
from intake.service_layer.caller import require_actor, utc_now
from intake.service_layer.idempotency import once
from intake.service_layer.messages import publish_recorded_events
from intake.service_layer.programmes import get_programme
from intake.validation.registration import validate_registration


def register_case(db, cipher, payload: dict, request_id: str | None = None,
                  now: datetime | None = None) -> dict:
    """201's body: {id, status, vulnerability_level, eligibility_reasons,
    possible_duplicates: [{case_id, reasons}]}. A repeated request id returns the first."""
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow, (CASEWORKER,))
        outcome = {}
        result, ran = once(uow, "register_case", request_id, payload,
                           lambda: _register(uow, cipher, payload, actor, now, outcome))
        uow.commit()
    if ran:
        _count(outcome["programme_code"], result)
    return result


def _register(uow, cipher, payload: dict, actor: dict, now: datetime, outcome: dict) -> dict:
    clean, errors = validate_registration(payload, now.date())
    if errors:
        raise InvalidInput("the registration is not valid", fields=errors)
    programme = _programme(uow.session, clean["programme_id"])
    person = PersonDetails.from_dict(clean)
    declared = clean.get("vulnerability_factors") or []
    case = Case.register(
        case_id=str(uuid.uuid4()), programme_id=programme["id"], person=person,
        eligibility=evaluate(programme.get("eligibility"), person, now.date(),
                             set(declared) | derived_factors(person.date_of_birth, now.date())),
        actor_id=actor["id"], actor_role=actor["role"], at=now,
        vulnerability_factors=declared,
        vulnerability_other_text=clean.get("vulnerability_other_text"))
    candidates = duplicate_index.find_candidates(uow.session, blocking_keys(person))
    CaseRepository(uow.session, cipher).add(case)
    duplicate_index.record_candidates(uow.session, case.id, candidates, now)
    publish_recorded_events(uow, case)
    _audit_registration(uow.session, actor, case, now)
    outcome["programme_code"] = programme["code"]
    return {"id": case.id, "status": case.status.value,
            "vulnerability_level": case.vulnerability_level(now.date()).value,
            "eligibility_reasons": list(case.eligibility_reasons),
            "possible_duplicates": [{"case_id": other, "reasons": reasons}
                                    for other, reasons in candidates.items()]}


def _programme(session, programme_id: str) -> dict:
    try:
        return get_programme(session, programme_id)
    except NotFound:
        raise InvalidInput("the registration is not valid",
                           fields={"programme_id": ["no such programme"]}) from None


def _audit_registration(session, actor: dict, case: Case, now: datetime) -> None:
    recorded = {"status": case.status.value, "programme_id": case.programme_id,
                "assigned_caseworker_id": case.assigned_caseworker_id,
                "person": case.person.to_dict(),
                "vulnerability_factors": sorted(case.vulnerability_factors),
                "eligibility_reasons": list(case.eligibility_reasons)}
    # The sensitive field is named as written, its content never recorded.
    fields = sorted(recorded) + ([SENSITIVE_FIELD] if case.is_protected else [])
    audit_log.append(session, actor=actor, action="case.registered", entity_type="case",
                     entity_id=case.id, at=now, fields=fields, after=recorded)


def _count(programme_code: str, result: dict) -> None:
    REGISTRATIONS.labels(programme_code, result["status"]).inc()
    for candidate in result["possible_duplicates"]:
        DUPLICATE_CANDIDATES.labels(candidate["reasons"][0]).inc()
