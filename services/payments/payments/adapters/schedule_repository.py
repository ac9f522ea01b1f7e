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
        found: dict[str, StoredSchedule] = {}
        for chunk in in_chunks(instalment_ids):
            holding = sa.select(instalments.c.plan_id).where(instalments.c.id.in_(chunk))
            for stored in self._load(schedules.c.plan_id.in_(holding)):
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
        # Only the columns a schedule is built from, unpacked by position: a paid chunk
        # loads a thousand instalments, and attribute lookups on rows (or parsing `due_at`,
        # which nothing here reads) cost more than the query.
        headers = self.session.execute(sa.select(*_HEADER).where(condition)).all()
        if not headers:
            return []
        by_plan: dict[str, list] = {h[0]: [] for h in headers}
        for chunk in in_chunks(by_plan):
            for row in self.session.execute(sa.select(*_INSTALMENT).where(
                    instalments.c.plan_id.in_(chunk)).order_by(instalments.c.number)):
                by_plan[row[0]].append(row)
        facts = self._facts_of({h[1] for h in headers})
        loaded = [_build(h, by_plan[h[0]], facts.get(h[1])) for h in headers]
        for stored in loaded:
            self._remember(stored)
        return loaded

    def _facts_of(self, case_ids: set[str]) -> dict:
        found = {}
        for chunk in in_chunks(case_ids):
            found.update({r[0]: r for r in self.session.execute(sa.select(*_FACTS).where(
                case_facts.c.case_id.in_(chunk)))})
        return found

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


_HEADER = (schedules.c.plan_id, schedules.c.case_id, schedules.c.programme_id,
           schedules.c.reservation_id, schedules.c.version, schedules.c.currency, schedules.c.cap,
           schedules.c.justification_threshold_percent, schedules.c.withdrawn)
_INSTALMENT = (instalments.c.plan_id, instalments.c.id, instalments.c.number,
               instalments.c.amount, instalments.c.share, instalments.c.paid, instalments.c.status)
_FACTS = (case_facts.c.case_id, case_facts.c.arrived, case_facts.c.justified,
          case_facts.c.monitoring_contacts)


def _build(header, rows, facts) -> StoredSchedule:
    plan_id, case_id, programme_id, reservation_id, version, currency, cap, threshold, \
        withdrawn = header
    money = Money._trusted  # amounts and currency were checked on their way in
    schedule = InstalmentSchedule(
        plan_id=plan_id, case_id=case_id, programme_id=programme_id,
        cap=Money(cap, currency), justification_threshold_percent=threshold,
        instalments=[Instalment(id_, number, money(amount, currency), share,
                                money(paid, currency), _STATUSES[status])
                     for _, id_, number, amount, share, paid, status in rows],
        withdrawn=withdrawn)
    if facts is not None:
        _, arrived, justified, contacts = facts
        numbers = {row[1]: row[2] for row in rows}
        schedule.arrived = arrived
        schedule.justified = {numbers[i]: Money(amount, currency)
                              for i, amount in justified.items() if i in numbers}
        schedule.monitoring_contacts = set(contacts)
    return StoredSchedule(schedule, reservation_id, version)


def _state(instalment: Instalment) -> tuple:
    return (instalment.amount.amount, instalment.paid.amount, instalment.status.value)


def _due_at(instalment: Instalment) -> datetime | None:
    return None if instalment.status in _NOT_YET_DUE else now()


_NOT_YET_DUE = (InstalmentStatus.SCHEDULED, InstalmentStatus.CANCELLED)
# A plain lookup, not InstalmentStatus(value): a paid chunk builds a thousand instalments.
_STATUSES = {status.value: status for status in InstalmentStatus}


