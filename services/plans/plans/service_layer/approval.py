"""Approving a plan version: a saga across plans' database and payments' budget ledger.

Approval, reservation and `plan_approved` must never disagree, even if plans crashes
between payments' answer and its own commit (docs/plans.md):

1. one transaction records an *approval intent* (plan, version, approver, operation id);
2. payments is asked to reserve under that operation id (idempotent: asked again, it
   answers the same and reserves nothing more);
3. a second transaction brings the version into force, publishes `plan_approved` through
   the outbox and settles the intent.

An intent still pending after a while was cut short (a crash, a timeout). The recovery
timer *compensates* it: it re-asserts the reservation (so its outcome is definite whether or
not the first request ever reached payments), releases exactly that, and settles the
intent; the plan stays submitted and the supervisor approves again, under a new operation
id. Compensating rather than completing means a supervisor who saw the approval fail never
finds it approved behind their back.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

from reintegra.contracts.errors import Conflict

from plans.adapters.budget import BudgetRefused
from plans.adapters.budget_records import (COMPENSATED, COMPENSATING, COMPLETED, PENDING,
                                           REFUSED, ApprovalIntent, ApprovalIntents)
from plans.adapters.plan_repository import PlanRepository
from plans.domain.errors import PlansDomainError
from plans.domain.four_eyes import Actor
from plans.domain.plan import VersionStatus
from plans.domain.plan_budget import compensation_operation_id, reserve_operation_id
from plans.service_layer.plan_events import record_plan_events
from plans.service_layer.plans import plan_for_update
from plans.service_layer.views import plan_view


def approve_plan(db, budget, plan_id: str, version: int | None, actor: Actor,
                 after_reservation: Callable[[], None] = lambda: None) -> tuple[dict, list]:
    """Approve `version` (default: the current one); returns the plan and its events.

    `after_reservation` runs between payments' answer and the second transaction: the
    place a crash would hurt most, and where a fault can be injected to prove it does not.
    """
    intent, version = _record_intent(db, plan_id, version, actor)
    if intent is None:
        return _bring_into_force(db, plan_id, version, actor, None)
    try:
        budget.reserve(intent.operation_id, intent.programme_id, intent.reference,
                       intent.amount, intent.case_id)
    except BudgetRefused as refused:
        _settle(db, intent, REFUSED)
        details = {"available": refused.available.to_dict()} if refused.available else {}
        raise Conflict(f"the programme budget cannot cover {intent.amount}: {refused}",
                       details=details) from None
    after_reservation()
    try:
        return _bring_into_force(db, plan_id, version, actor, intent)
    except PlansDomainError:
        # The plan moved on while payments answered (cancelled, rejected by someone else).
        compensate(db, budget, intent)
        raise


def recover_approvals(db, budget, pending_for: timedelta) -> list[str]:
    """Compensate intents pending longer than `pending_for`; returns their outcomes."""
    cutoff = datetime.now(timezone.utc) - pending_for
    with db.unit_of_work() as uow:
        stale = ApprovalIntents(uow.session).to_recover(cutoff)
    return [compensate(db, budget, intent) for intent in stale]


def compensate(db, budget, intent: ApprovalIntent) -> str:
    """Undo whatever `intent` reserved; each step is idempotent, so a crash just repeats it."""
    plan_cancelled = _claim_for_compensation(db, intent)
    if plan_cancelled is None:
        return "already_settled"
    try:
        budget.reserve(intent.operation_id, intent.programme_id, intent.reference,
                       intent.amount, intent.case_id)
    except BudgetRefused:
        # Refused now means it was never granted before either: nothing to give back.
        _settle(db, intent, REFUSED)
        return REFUSED
    # A cancelled plan's earmark must end empty; otherwise give back exactly this attempt's
    # amount, leaving what the version in force holds.
    budget.release(compensation_operation_id(intent.operation_id), intent.programme_id,
                   intent.reference, None if plan_cancelled else intent.amount)
    _settle(db, intent, COMPENSATED)
    return COMPENSATED


def _record_intent(db, plan_id: str, version: int | None, actor: Actor):
    with db.unit_of_work() as uow:
        plan = plan_for_update(PlanRepository(uow.session), plan_id)
        version = version or plan.current_version.number
        change = plan.prepare_approval(version, actor)
        if not change.needs_reservation:
            return None, version
        intents = ApprovalIntents(uow.session)
        unsettled = intents.unsettled_for(plan_id)
        if unsettled is not None:
            if unsettled.state == PENDING and unsettled.version == version:
                return unsettled, version   # a double click: join the attempt under way
            raise Conflict("an earlier approval attempt of this plan is being undone; "
                           "approve again in a moment")
        attempt = intents.attempts(plan_id, version) + 1
        intent = ApprovalIntent(
            reserve_operation_id(plan_id, version, attempt), plan_id, version, attempt,
            plan.programme_id, plan.case_id, change.reference, change.to_reserve,
            actor.user_id, PENDING, datetime.now(timezone.utc))
        intents.add(intent)
        uow.commit()
    return intent, version


def _bring_into_force(db, plan_id: str, version: int, actor: Actor,
                      intent: ApprovalIntent | None) -> tuple[dict, list]:
    now = datetime.now(timezone.utc)
    with db.unit_of_work() as uow:
        repository = PlanRepository(uow.session)
        plan = plan_for_update(repository, plan_id)
        if intent is not None:
            state = ApprovalIntents(uow.session).get(intent.operation_id).state
            if state == COMPLETED:
                return plan_view(plan), []     # the attempt we joined got there first
            if state != PENDING:
                raise Conflict("this approval attempt was abandoned and its reservation "
                               "given back; approve again")
        plan.approve(version, actor, intent.reference if intent else None, now)
        events = record_plan_events(uow, plan, now)
        if intent is not None:
            ApprovalIntents(uow.session).settle(intent.operation_id, COMPLETED, now)
        repository.save(plan)
        uow.commit()
    return plan_view(plan), events


def _claim_for_compensation(db, intent: ApprovalIntent) -> bool | None:
    """Mark the intent compensating (so a late second step refuses); returns whether its
    plan is cancelled, or None when the intent was settled meanwhile."""
    with db.unit_of_work() as uow:
        plan = PlanRepository(uow.session).get(intent.plan_id, for_update=True)
        intents = ApprovalIntents(uow.session)
        if intents.get(intent.operation_id).state not in (PENDING, COMPENSATING):
            return None
        intents.settle(intent.operation_id, COMPENSATING, datetime.now(timezone.utc))
        uow.commit()
    return plan.status == VersionStatus.CANCELLED


def _settle(db, intent: ApprovalIntent, state: str) -> None:
    with db.unit_of_work() as uow:
        ApprovalIntents(uow.session).settle(intent.operation_id, state,
                                            datetime.now(timezone.utc))
        uow.commit()
