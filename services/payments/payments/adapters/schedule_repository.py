"""Instalment schedules and the case facts that gate them, loaded and saved many at a time
(a payout batch touches thousands of schedules in one transaction)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from reintegra.bulk import in_chunks, update_many
from reintegra.money import Money

from payments.adapters.clock import now
from payments.adapters.tables import case_facts, instalments, schedules
from payments.domain.instalments import Instalment, InstalmentSchedule, InstalmentStatus

@dataclass
class StoredSchedule:
    """A schedule with what the domain does not need but the store does."""
    schedule: InstalmentSchedule
    reservation_id: str
    version: int


class ScheduleRepository:
    def __init__(self, session):
        self.session = session
        self._snapshot: dict[str, tuple] = {}

    # Case facts ---------------------------------------------------------------------------

    def facts(self, case_id: str) -> dict:
        row = self.session.execute(sa.select(case_facts).where(
            case_facts.c.case_id == case_id)).first()
        if row is None:
            return {"case_id": case_id, "arrived": False, "withdrawn": False, "justified": {},
                    "monitoring_contacts": [], "_new": True}
        return {**row._mapping, "justified": dict(row.justified),
                "monitoring_contacts": list(row.monitoring_contacts), "_new": False}

    def save_facts(self, facts: dict) -> None:
        values = {k: v for k, v in facts.items() if k not in ("_new", "case_id")}
        if facts["_new"]:
            self.session.execute(case_facts.insert().values(case_id=facts["case_id"], **values))
            facts["_new"] = False
        else:
            self.session.execute(case_facts.update().where(
                case_facts.c.case_id == facts["case_id"]).values(**values))

    # Schedules ----------------------------------------------------------------------------

    def by_plan(self, plan_id: str) -> StoredSchedule | None:
        found = self._load(schedules.c.plan_id.in_([plan_id]))
        return found[0] if found else None

    def by_case(self, case_id: str) -> list[StoredSchedule]:
        return self._load(schedules.c.case_id == case_id)

    def by_instalments(self, instalment_ids: Iterable[str]) -> dict[str, StoredSchedule]:
        """The schedules holding these instalments, by instalment id."""
        plan_ids: set[str] = set()
        for chunk in in_chunks(instalment_ids):
            plan_ids.update(self.session.execute(sa.select(instalments.c.plan_id).where(
                instalments.c.id.in_(chunk))).scalars())
        found: dict[str, StoredSchedule] = {}
        for chunk in in_chunks(plan_ids):
            for stored in self._load(schedules.c.plan_id.in_(chunk)):
                found.update({i.id: stored for i in stored.schedule.instalments})
        return found

    def add(self, stored: StoredSchedule) -> None:
        schedule = stored.schedule
        self.session.execute(schedules.insert().values(
            plan_id=schedule.plan_id, case_id=schedule.case_id,
            programme_id=schedule.programme_id, reservation_id=stored.reservation_id,
            version=stored.version, currency=schedule.cap.currency, cap=schedule.cap.amount,
            justification_threshold_percent=schedule.justification_threshold_percent,
            withdrawn=schedule.withdrawn))
        self.session.execute(instalments.insert(), [
            self._instalment_row(schedule, i) for i in schedule.instalments])
        self._remember(stored)

    def save(self, stored_schedules: Iterable[StoredSchedule]) -> None:
        """Write back the schedules' changed instalments and headers, in bulk."""
        changed, headers = [], []
        for stored in stored_schedules:
            schedule = stored.schedule
            header = (stored.version, schedule.withdrawn, stored.reservation_id)
            if self._snapshot.get(schedule.plan_id) != header:
                headers.append(dict(plan_id=schedule.plan_id, version=stored.version,
                                    withdrawn=schedule.withdrawn,
                                    reservation_id=stored.reservation_id))
            for instalment in schedule.instalments:
                state = _state(instalment)
                if self._snapshot.get(instalment.id) != state:
                    changed.append(dict(k_id=instalment.id, new_amount=instalment.amount.amount,
                                        new_paid=instalment.paid.amount,
                                        new_status=instalment.status.value,
                                        new_due_at=_due_at(instalment)))
            self._remember(stored)
        update_many(self.session, schedules, ("plan_id",), headers)
        if changed:
            self.session.execute(instalments.update().where(
                instalments.c.id == sa.bindparam("k_id")).values(
                amount=sa.bindparam("new_amount"), paid=sa.bindparam("new_paid"),
                status=sa.bindparam("new_status"),
                # The first time it fell due is kept.
                due_at=sa.func.coalesce(instalments.c.due_at, sa.bindparam("new_due_at"))),
                changed)

    def _load(self, condition) -> list[StoredSchedule]:
        headers = self.session.execute(sa.select(schedules).where(condition)).all()
        if not headers:
            return []
        by_plan: dict[str, list] = {h.plan_id: [] for h in headers}
        rows = self.session.execute(sa.select(instalments).where(
            instalments.c.plan_id.in_(list(by_plan))).order_by(instalments.c.number)).all()
        for row in rows:
            by_plan[row.plan_id].append(row)
        facts = self._facts_of({h.case_id for h in headers})
        loaded = [self._build(h, by_plan[h.plan_id], facts.get(h.case_id)) for h in headers]
        for stored in loaded:
            self._remember(stored)
        return loaded

    def _facts_of(self, case_ids: set[str]) -> dict:
        found = {}
        for chunk in in_chunks(case_ids):
            found.update({r.case_id: r for r in self.session.execute(
                sa.select(case_facts).where(case_facts.c.case_id.in_(chunk)))})
        return found

    @staticmethod
    def _build(header, rows, facts) -> StoredSchedule:
        currency = header.currency
        schedule = InstalmentSchedule(
            plan_id=header.plan_id, case_id=header.case_id, programme_id=header.programme_id,
            cap=Money(header.cap, currency),
            justification_threshold_percent=header.justification_threshold_percent,
            instalments=[Instalment(r.id, r.number, Money(r.amount, currency), r.share,
                                    Money(r.paid, currency), _STATUSES[r.status])
                         for r in rows],
            withdrawn=header.withdrawn)
        if facts is not None:
            numbers = {r.id: r.number for r in rows}
            schedule.arrived = facts.arrived
            schedule.justified = {numbers[i]: Money(amount, currency)
                                  for i, amount in facts.justified.items() if i in numbers}
            schedule.monitoring_contacts = set(facts.monitoring_contacts)
        return StoredSchedule(schedule, header.reservation_id, header.version)

    def _remember(self, stored: StoredSchedule) -> None:
        schedule = stored.schedule
        self._snapshot[schedule.plan_id] = (stored.version, schedule.withdrawn,
                                            stored.reservation_id)
        self._snapshot.update({i.id: _state(i) for i in schedule.instalments})

    @staticmethod
    def _instalment_row(schedule: InstalmentSchedule, instalment: Instalment) -> dict:
        return dict(id=instalment.id, plan_id=schedule.plan_id, case_id=schedule.case_id,
                    programme_id=schedule.programme_id, number=instalment.number,
                    amount=instalment.amount.amount, paid=instalment.paid.amount,
                    currency=instalment.amount.currency, share=instalment.share,
                    status=instalment.status.value,
                    due_at=_due_at(instalment))


def _state(instalment: Instalment) -> tuple:
    return (instalment.amount.amount, instalment.paid.amount, instalment.status.value)


def _due_at(instalment: Instalment) -> datetime | None:
    return None if instalment.status in _NOT_YET_DUE else now()


_NOT_YET_DUE = (InstalmentStatus.SCHEDULED, InstalmentStatus.CANCELLED)
# A plain lookup, not InstalmentStatus(value): a paid chunk builds a thousand instalments.
_STATUSES = {status.value: status for status in InstalmentStatus}


