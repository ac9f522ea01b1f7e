"""Drafting, submitting, rejecting and revising plans (approval is its own saga: `approval`)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Sequence

from reintegra.contracts.errors import Conflict, NotFound

from plans.adapters.plan_repository import PlanRepository
from plans.domain.case_facts import CaseStatus
from plans.domain.four_eyes import Actor
from plans.domain.plan import Plan
from plans.domain.plan_lines import PlanLine
from plans.service_layer.lookups import cap_of, case_of
from plans.service_layer.plan_events import record_plan_events
from plans.service_layer.views import plan_view

_NEVER_RETURNING = (CaseStatus.WITHDRAWN, CaseStatus.REJECTED, CaseStatus.CLOSED)


def draft_plan(uow, case_id: str, lines: Sequence[PlanLine], actor: Actor,
               now: datetime) -> dict:
    """A first version; possible before return, not for a case that will never return."""
    case = case_of(uow.session, case_id)
    if case.status in _NEVER_RETURNING:
        raise Conflict(f"case {case_id} is {case.status.value}: no plan can be drafted")
    repository = PlanRepository(uow.session)
    existing = repository.for_case(case_id)
    if existing is not None:
        raise Conflict(f"case {case_id} already has plan {existing.id}: revise it instead",
                       details={"plan_id": existing.id})
    plan = Plan.draft(str(uuid.uuid4()), case_id, case.programme_id, lines,
                      cap_of(uow.session, case.programme_id), actor, now)
    repository.add(plan)
    return plan_view(plan)


def submit_plan(uow, plan_id: str, version: int | None, actor: Actor, now: datetime) -> dict:
    repository = PlanRepository(uow.session)
    plan = plan_for_update(repository, plan_id)
    plan.submit(version or plan.current_version.number, actor, now)
    record_plan_events(uow, plan, now)
    repository.save(plan)
    return plan_view(plan)


def reject_plan(uow, plan_id: str, version: int | None, reason: str, actor: Actor,
                now: datetime) -> dict:
    repository = PlanRepository(uow.session)
    plan = plan_for_update(repository, plan_id)
    plan.reject(version or plan.current_version.number, actor, reason, now)
    record_plan_events(uow, plan, now)
    repository.save(plan)
    return plan_view(plan)


def revise_plan(uow, plan_id: str, lines: Sequence[PlanLine], reason: str, actor: Actor,
                now: datetime) -> tuple[dict, list]:
    """A new version after arrival; returns the plan and its events (for metrics)."""
    repository = PlanRepository(uow.session)
    plan = plan_for_update(repository, plan_id)
    case = case_of(uow.session, plan.case_id)
    plan.revise(lines, reason, actor, case.is_arrived, cap_of(uow.session, plan.programme_id),
                now)
    events = record_plan_events(uow, plan, now)
    repository.save(plan)
    return plan_view(plan), events


def get_plan(session, plan_id: str) -> dict:
    plan = PlanRepository(session).get(plan_id)
    if plan is None:
        raise NotFound(f"plan {plan_id} not found")
    return plan_view(plan)


def plans_of_case(session, case_id: str) -> list[dict]:
    plan = PlanRepository(session).for_case(case_id)
    return [plan_view(plan)] if plan else []


def plan_for_update(repository: PlanRepository, plan_id: str) -> Plan:
    plan = repository.get(plan_id, for_update=True)
    if plan is None:
        raise NotFound(f"plan {plan_id} not found")
    return plan

