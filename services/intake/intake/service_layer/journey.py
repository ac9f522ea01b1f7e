"""Moving a case along the return journey, and the supervisor's decisions on a case
(assignment, an 'other' vulnerability factor). Each change is stored with its history
entry, announced once through the outbox and written to the audit trail."""
from __future__ import annotations

from datetime import datetime

from reintegra.contracts.errors import Conflict, InvalidInput
from intake.adapters import audit_log
from intake.adapters.metrics import TRANSITIONS
from intake.adapters.repository import CaseRepository
from intake.domain.roles import CASEWORKER, SUPERVISOR
from intake.service_layer.caller import require_actor, utc_now
from intake.service_layer.case_view import transition_view
from intake.service_layer.idempotency import once
from intake.service_layer.messages import publish_recorded_events
from intake.validation.transitions import validate_transition_request

OTHER_VULNERABILITY_DECISIONS = ("approve", "decline")


def transition_case(db, cipher, case_id: str, request: dict, request_id: str | None = None,
                    now: datetime | None = None) -> dict:
    """{id, status, transition}. The same request id returns the first answer and moves
    nothing again; an illegal move raises IllegalTransition (409, allowed targets)."""
    clean, errors = validate_transition_request(request)
    if errors:
        raise InvalidInput("the transition request is not valid", fields=errors)
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow, (CASEWORKER, SUPERVISOR))
        result, ran = once(uow, "transition_case", request_id, {"case_id": case_id, **request},
                           lambda: _transition(uow, cipher, case_id, clean, actor, now))
        uow.commit()
    if ran:
        TRANSITIONS.labels(result["status"]).inc()
    return result


def _transition(uow, cipher, case_id: str, clean: dict, actor: dict, now: datetime) -> dict:
    repository = CaseRepository(uow.session, cipher)
    case = repository.get(case_id)
    transition = case.transition(clean["to"], actor_id=actor["id"], actor_role=actor["role"],
                                 at=now, reason=clean.get("reason"), data=clean.get("data"))
    if not repository.add_transition(case.id, transition):
        raise Conflict(f"case {case_id} changed while this move was being made; try again")
    publish_recorded_events(uow, case)
    view = transition_view(transition)
    audit_log.append(uow.session, actor=actor, action="case.transitioned", entity_type="case",
                     entity_id=case_id, at=now, fields=["status"],
                     before={"status": view["from_status"]},
                     after={"status": view["to_status"], "data": view["data"]})
    return {"id": case.id, "status": case.status.value, "transition": view}


def assign_caseworker(db, cipher, case_id: str, caseworker_id: str,
                      now: datetime | None = None) -> dict:
    if not isinstance(caseworker_id, str) or not caseworker_id.strip():
        raise InvalidInput("a caseworker is required", fields={"caseworker_id": ["required"]})
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow, (SUPERVISOR,))
        repository = CaseRepository(uow.session, cipher)
        before = repository.get(case_id).assigned_caseworker_id
        repository.assign(case_id, caseworker_id)
        audit_log.append(uow.session, actor=actor, action="case.assigned", entity_type="case",
                         entity_id=case_id, at=now, fields=["assigned_caseworker_id"],
                         before={"assigned_caseworker_id": before},
                         after={"assigned_caseworker_id": caseworker_id})
        uow.commit()
    return {"id": case_id, "assigned_caseworker_id": caseworker_id}


def decide_other_vulnerability(db, cipher, case_id: str, decision: str,
                               now: datetime | None = None) -> dict:
    if decision not in OTHER_VULNERABILITY_DECISIONS:
        raise InvalidInput("unknown decision", fields={"decision": [
            f"must be one of {', '.join(OTHER_VULNERABILITY_DECISIONS)}"]})
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow)
        repository = CaseRepository(uow.session, cipher)
        case = repository.get(case_id)
        decide = (case.approve_other_vulnerability if decision == "approve"
                  else case.decline_other_vulnerability)
        decide(actor["id"], actor["role"], now)
        repository.save_vulnerability(case)
        audit_log.append(uow.session, actor=actor, action="case.other_vulnerability_decided",
                         entity_type="case", entity_id=case_id, at=now,
                         fields=["other_vulnerability.status"],
                         before={"status": "pending_supervisor_approval"},
                         after={"status": case.other_vulnerability.status.value})
        uow.commit()
    return {"id": case_id, "other_vulnerability": case.other_vulnerability.status.value,
            "vulnerability_level": case.vulnerability_level(now.date()).value}
