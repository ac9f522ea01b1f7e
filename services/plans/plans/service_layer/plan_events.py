"""What a plan's domain events lead to, inside the transaction that saved the plan.

Each contracted event goes to the outbox; a release of budget is owed to payments (sent
after commit, see `releases`); an approval marks the case's application supported and a
cancellation marks it not supported.
"""
from __future__ import annotations

from datetime import datetime

from plans.adapters.application_repository import ApplicationRepository
from plans.adapters.budget_records import OwedRelease, OwedReleases
from plans.domain.application import ApplicationStatus
from plans.domain.plan import Plan
from plans.domain.plan_budget import (cancellation_operation_id, release_operation_id,
                                      reservation_id_for)
from plans.domain.plan_events import PlanApproved, PlanCancelled, PlanRevised


def record_plan_events(uow, plan: Plan, at: datetime) -> list:
    """Handle and clear `plan.events`; returns them (for metrics after commit)."""
    events, plan.events = plan.events, []
    for event in events:
        if isinstance(event, PlanApproved):
            _approved(uow, plan, event, at)
        elif isinstance(event, PlanRevised):
            uow.publish("plan_revised", {
                **_ids(plan), "version": event.version, "total": event.total.to_dict(),
                "needs_approval": event.needs_approval})
        elif isinstance(event, PlanCancelled):
            _cancelled(uow, plan, event, at)
    return events


def _approved(uow, plan: Plan, event: PlanApproved, at: datetime) -> None:
    uow.publish("plan_approved", {
        **_ids(plan), "version": event.version, "total": event.total.to_dict(),
        "currency": event.currency, "reservation_id": reservation_id_for(plan.id),
        "lines": [{"category": category.value, "amount": amount.to_dict()}
                  for category, amount in event.lines]})
    if not event.released.is_zero():
        OwedReleases(uow.session).add(OwedRelease(
            release_operation_id(plan.id, event.version), plan.programme_id,
            reservation_id_for(plan.id), event.released, plan.currency), at)
    applications = ApplicationRepository(uow.session)
    application = applications.for_case(plan.case_id)
    if application is not None and application.status == ApplicationStatus.EVALUATED:
        application.mark_supported()
        applications.save(application)


def _cancelled(uow, plan: Plan, event: PlanCancelled, at: datetime) -> None:
    uow.publish("plan_cancelled", {**_ids(plan), "reservation_id": reservation_id_for(plan.id),
                                   "released": event.released.to_dict()})
    # Everything the earmark still holds, not only the version in force: an approval
    # attempt in flight may have reserved more (its own compensation then finds nothing).
    OwedReleases(uow.session).add(OwedRelease(
        cancellation_operation_id(plan.id), plan.programme_id, reservation_id_for(plan.id),
        None, plan.currency), at)


def _ids(plan: Plan) -> dict:
    return {"case_id": plan.case_id, "plan_id": plan.id, "programme_id": plan.programme_id}
