"""A person's review of a possible duplicate: "same_person" links the two cases,
"different" clears the flag. Cases are never merged; both keep their own history."""
from __future__ import annotations

from datetime import datetime

from reintegra.contracts.errors import InvalidInput
from intake.adapters import audit_log, duplicate_index
from intake.adapters.repository import CaseRepository
from intake.domain.duplicates import ReviewDecision
from intake.domain.roles import CASEWORKER, SUPERVISOR
from intake.service_layer.caller import require_actor, utc_now


def review_duplicate(db, cipher, case_id: str, other_case_id: str, decision: str,
                     now: datetime | None = None) -> dict:
    if decision not in tuple(ReviewDecision):
        raise InvalidInput("unknown decision", fields={"decision": [
            f"must be one of {', '.join(ReviewDecision)}"]})
    now = now or utc_now()
    with db.unit_of_work() as uow:
        actor = require_actor(uow, (CASEWORKER, SUPERVISOR))
        CaseRepository(uow.session, cipher).get(case_id)
        before = duplicate_index.decide(uow.session, case_id, other_case_id,
                                        ReviewDecision(decision), actor["id"], now)
        audit_log.append(uow.session, actor=actor, action="case.duplicate_reviewed",
                         entity_type="case", entity_id=case_id, at=now, fields=["decision"],
                         before={"other_case_id": other_case_id, "decision": before},
                         after={"other_case_id": other_case_id, "decision": decision})
        uow.commit()
    return {"case_id": case_id, "other_case_id": other_case_id, "decision": decision,
            "decided_by": actor["id"], "decided_at": now.isoformat()}
