"""The allowance schedule, driven by other services' events (each handled once, via the inbox).

Events may come in any order: an arrival before the plan's approval, a monitoring contact
before the justification. Case facts are kept per case and applied whenever a schedule
exists, so the order does not change the outcome.

Plans owns the reservation of a plan's total (it reserves on approval, and reserves or
releases the difference on a re-approved revision); payments only spreads the total over
the unpaid instalments, posts what is paid and releases what a cancellation leaves unpaid.
"""
from __future__ import annotations

import sqlalchemy as sa

from reintegra.messaging.retry import PermanentError
from reintegra.money import Money

from payments.adapters.payout_repository import PayoutRepository
from payments.adapters.schedule_repository import ScheduleRepository, StoredSchedule
from payments.adapters.tables import payouts, programmes
from payments.domain.instalments import (InstalmentStatus, ScheduleError, cancel_unpaid,
                                         revise, schedule_for_plan)
from payments.service_layer.budget import release_unpaid


def plan_approved(uow, data: dict) -> None:
    repository = ScheduleRepository(uow.session)
    stored = repository.by_plan(data["plan_id"])
    total = Money.from_dict(data["total"])
    if stored is None:
        _create_schedule(uow, repository, data, total)
    elif data["version"] > stored.version:
        _revise(uow, repository, stored, data["version"], total)


def plan_revised(uow, data: dict) -> None:
    """A revision that needs no new approval keeps the total; one that does waits for it."""
    repository = ScheduleRepository(uow.session)
    stored = repository.by_plan(data["plan_id"])
    if stored is not None and not data["needs_approval"] and data["version"] > stored.version:
        _revise(uow, repository, stored, data["version"], Money.from_dict(data["total"]))


def plan_cancelled(uow, data: dict) -> None:
    repository = ScheduleRepository(uow.session)
    stored = repository.by_plan(data["plan_id"])
    if stored is not None:
        cancel_schedule(uow, repository, stored)


def case_arrived(uow, data: dict) -> None:
    _update_facts(uow, data["case_id"], lambda facts: facts.update(arrived=True))


def case_withdrawn(uow, data: dict) -> None:
    # Refreshing the case's schedules with the new fact cancels them (_refresh).
    _update_facts(uow, data["case_id"], lambda facts: facts.update(withdrawn=True))


def expenses_justified(uow, data: dict) -> None:
    # The latest justified total for an instalment wins (finance may reject a receipt later).
    _update_facts(uow, data["case_id"], lambda facts: facts["justified"].update(
        {data["instalment_id"]: data["justified"]["amount"]}))


def monitoring_contact_completed(uow, data: dict) -> None:
    def add_contact(facts):
        if data["contact_id"] not in facts["monitoring_contacts"]:
            facts["monitoring_contacts"].append(data["contact_id"])
    _update_facts(uow, data["case_id"], add_contact)


def cancel_schedule(uow, repository: ScheduleRepository, stored: StoredSchedule) -> None:
    """Cancel what is unpaid and not in payment, and release its reservation. A payout only
    prepared (its batch not released yet) is withdrawn first, and its instalment cancelled
    with the rest: otherwise a later release of the batch would pay a cancelled plan."""
    schedule = stored.schedule
    _withdraw_prepared_payouts(uow, schedule)
    cancellation = cancel_unpaid(schedule)
    repository.save([stored])
    if cancellation.to_release.amount > 0:
        numbers = ",".join(str(n) for n in cancellation.cancelled)
        release_unpaid(uow, f"cancel:{schedule.plan_id}:{numbers}", schedule.programme_id,
                       stored.reservation_id, cancellation.to_release)


def _withdraw_prepared_payouts(uow, schedule) -> None:
    paying = {i.id: i for i in schedule.instalments if i.status is InstalmentStatus.PAYING}
    if not paying:
        return
    repository = PayoutRepository(uow.session)
    # Locked (FOR UPDATE on PostgreSQL) like a claim locks them: a payout is either withdrawn
    # here or released there, never both.
    withdrawn = [payout for found in repository.of_instalments(paying, lock=True).values()
                 for payout in found if payout.withdraw()]
    for payout in withdrawn:
        paying[payout.instalment_id].payout_failed()
    repository.save(withdrawn, {payout.id: None for payout in withdrawn})
    uow.publish_many((event.name, event.payload())
                     for payout in withdrawn for event in payout.events)


def publish_events(uow, schedules) -> None:
    uow.publish_many((event.name, event.payload())
                     for schedule in schedules for event in schedule.events)
    for schedule in schedules:
        schedule.events.clear()


def _create_schedule(uow, repository: ScheduleRepository, data: dict, total: Money) -> None:
    programme = uow.session.execute(sa.select(programmes).where(
        programmes.c.id == data["programme_id"])).first()
    if programme is None:
        raise LookupError(f"programme {data['programme_id']} not known yet")  # retried
    try:
        schedule = schedule_for_plan(
            data["plan_id"], data["case_id"], data["programme_id"], total,
            list(programme.instalment_split), Money(programme.allowance_cap, programme.currency),
            programme.justification_threshold_percent)
    except ScheduleError as refused:
        raise PermanentError(f"plan {data['plan_id']}: {refused}") from None
    stored = StoredSchedule(schedule, data["reservation_id"], data["version"])
    repository.add(stored)
    # Reloaded with the case facts known so far: the case may have arrived already.
    _refresh(uow, repository, repository.by_plan(data["plan_id"]),
             _withdrawn(repository, data["case_id"]))


def _revise(uow, repository, stored: StoredSchedule, version: int, total: Money) -> None:
    try:
        revise(stored.schedule, total)
    except ScheduleError as refused:
        raise PermanentError(f"plan {stored.schedule.plan_id} v{version}: {refused}") from None
    stored.version = version
    repository.save([stored])


def _update_facts(uow, case_id: str, change) -> None:
    repository = ScheduleRepository(uow.session)
    facts = repository.facts(case_id)
    change(facts)
    repository.save_facts(facts)
    for stored in repository.by_case(case_id):
        _refresh(uow, repository, stored, facts["withdrawn"])


def _refresh(uow, repository: ScheduleRepository, stored: StoredSchedule,
             withdrawn: bool) -> None:
    if withdrawn:
        cancel_schedule(uow, repository, stored)
        return
    stored.schedule.refresh_due()
    repository.save([stored])
    publish_events(uow, [stored.schedule])


def _withdrawn(repository: ScheduleRepository, case_id: str) -> bool:
    return repository.facts(case_id)["withdrawn"]


def case_instalments(session, case_id: str) -> dict:
    """What staff see: each instalment with its payouts, their route and status."""
    stored = ScheduleRepository(session).by_case(case_id)
    items = []
    for entry in stored:
        for instalment in entry.schedule.instalments:
            rows = session.execute(sa.select(payouts).where(
                payouts.c.instalment_id == instalment.id).order_by(payouts.c.sequence)).all()
            items.append({
                "id": instalment.id, "plan_id": entry.schedule.plan_id,
                "number": instalment.number, "amount": instalment.amount.to_dict(),
                "paid": instalment.paid.to_dict(), "status": instalment.status.value,
                "payouts": [{"id": r.id, "route": r.route, "status": r.status,
                             "amount": {"amount": r.amount, "currency": r.currency},
                             "batch_id": r.batch_id, "failure_reason": r.failure_reason}
                            for r in rows]})
    return {"case_id": case_id, "instalments": items}
