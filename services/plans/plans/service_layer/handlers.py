"""Plans' reactions to intake's events; each runs once per event (inbox).

Events from different queues may arrive in any order, so a case first heard of through a
transition is recorded from it, and `case_registered` arriving later only fills in facts.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from plans.adapters.application_repository import ApplicationRepository, CaseFactsRepository
from plans.adapters.plan_repository import PlanRepository
from plans.adapters.tables import case_facts, programmes
from plans.domain.application import ApplicationStatus
from plans.domain.case_facts import CaseFacts, CaseStatus, VulnerabilityLevel
from plans.service_layer.plan_events import record_plan_events

WITHDRAWAL_REASON = "the case was withdrawn"


def record_programme(uow, data: dict) -> None:
    uow.session.execute(programmes.insert().values(
        id=data["programme_id"], currency=data["currency"],
        allowance_cap=data["allowance_cap"]["amount"]))


def record_case(uow, data: dict) -> None:
    cases = CaseFactsRepository(uow.session)
    level = VulnerabilityLevel(data["vulnerability_level"])
    facts = cases.get(data["case_id"])
    if facts is None:
        cases.add(CaseFacts(data["case_id"], data["programme_id"], CaseStatus(data["status"]),
                            level), data["intends_to_apply"])
        return
    facts.record_status(CaseStatus(data["status"]))
    facts.record_vulnerability(level)
    cases.save(facts, intends_to_apply=data["intends_to_apply"])


def record_case_status(uow, data: dict) -> CaseFacts:
    """Any `case_<transition>`: move our copy forward (never back, see CaseFacts)."""
    cases = CaseFactsRepository(uow.session)
    facts = cases.get(data["case_id"])
    status = CaseStatus(data["to_status"])
    if facts is None:
        facts = CaseFacts(data["case_id"], data["programme_id"], status)
        cases.add(facts, intends_to_apply=True)
        return facts
    facts.record_status(status)
    cases.save(facts)
    return facts


def withdraw_case(uow, data: dict) -> None:
    """The person will not return: cancel the plan (its earmark is released after commit)
    and close the application as not supported."""
    record_case_status(uow, data)
    now = datetime.now(timezone.utc)
    plans = PlanRepository(uow.session)
    plan = plans.for_case(data["case_id"], for_update=True)
    if plan is not None:
        plan.cancel(WITHDRAWAL_REASON, now)
        record_plan_events(uow, plan, now)
        plans.save(plan)
    applications = ApplicationRepository(uow.session)
    application = applications.for_case(data["case_id"])
    if application is not None and application.status in (ApplicationStatus.SUBMITTED,
                                                          ApplicationStatus.EVALUATED):
        application.mark_not_supported(WITHDRAWAL_REASON)
        applications.save(application)


def case_facts_of(session, case_id: str) -> dict | None:
    row = session.execute(sa.select(case_facts).where(case_facts.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None
