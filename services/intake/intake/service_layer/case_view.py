"""Reading a case: what each caller may see of it.

Everyone who may open a case sees that it is `protected` when it holds sensitive details;
only the assigned caseworker and supervisors see the details themselves, and each time
they do, the read is written to the audit trail (which fields, never their content).
"""
from __future__ import annotations

from datetime import datetime

from intake.adapters import audit_log, duplicate_index
from intake.adapters.repository import SENSITIVE_FIELD, CaseRepository
from intake.domain.case import Case
from intake.domain.duplicates import ReviewDecision
from intake.domain.journey import Transition, allowed_targets
from intake.service_layer.caller import require_actor, utc_now


def get_case(db, cipher, case_id: str, now: datetime | None = None) -> dict:
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow)
        case = CaseRepository(uow.session, cipher).get(case_id)
        view = case_view(case, duplicate_index.candidates_of(uow.session, case_id), now)
        if case.is_protected and case.may_view_sensitive(actor["id"], actor["role"]):
            view["sensitive"] = {"vulnerability_factors": sorted(case.sensitive.factors)}
            audit_log.append(uow.session, actor=actor, action="case.sensitive_read",
                             entity_type="case", entity_id=case_id, at=now,
                             fields=[SENSITIVE_FIELD])
            uow.commit()
        return view


def case_view(case: Case, candidates: list[dict], now: datetime) -> dict:
    """The case without its sensitive details."""
    other = case.other_vulnerability
    return {
        "id": case.id, "programme_id": case.programme_id, "status": case.status.value,
        "registered_at": case.history[0].at.isoformat(),
        "registered_by": case.history[0].actor_id,
        "assigned_caseworker_id": case.assigned_caseworker_id,
        "person": case.person.to_dict(),
        "vulnerability": {
            "level": case.vulnerability_level(now.date()).value,
            "factors": sorted(case.vulnerability_factors),
            "other": {"text": other.text, "status": other.status.value} if other else None},
        "protected": case.is_protected,
        "eligibility_reasons": list(case.eligibility_reasons),
        "history": [transition_view(t) for t in case.history],
        "allowed_transitions": allowed_targets(case.status),
        "possible_duplicates": candidates,
        "linked_cases": [c["case_id"] for c in candidates
                         if c["decision"] == ReviewDecision.SAME_PERSON],
    }


def transition_view(transition: Transition) -> dict:
    return {"from_status": transition.from_status.value if transition.from_status else None,
            "to_status": transition.to_status.value, "actor_id": transition.actor_id,
            "actor_role": transition.actor_role, "at": transition.at.isoformat(),
            "reason": transition.reason,
            "data": {k: v.isoformat() if hasattr(v, "isoformat") else v
                     for k, v in transition.data.items()}}
