"""The allowance schedule of one plan: its instalments, their amounts and when they fall due.

Statuses: scheduled → due → paying → paid, and cancelled. An instalment may be paid in
parts (e.g. a supplier, then the person); a partial payment puts it back to due for the
rest. The amounts of a schedule always sum exactly to the plan total, which never exceeds
the programme's per-person cap; payouts never exceed an instalment, so the total paid to a
person never exceeds the cap either.
"""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from reintegra.money import Money

from .events import InstalmentDue

_INSTALMENT_NAMESPACE = uuid.UUID("0b8f5d7e-2a44-4c1b-8f3e-7d95a6c2e411")


class InstalmentStatus(str, enum.Enum):
    SCHEDULED = "scheduled"
    DUE = "due"
    PAYING = "paying"
    PAID = "paid"
    CANCELLED = "cancelled"


class ScheduleError(Exception):
    pass


class InvalidSplit(ScheduleError):
    pass


class ExceedsCap(ScheduleError):
    def __init__(self, total: Money, cap: Money):
        super().__init__(f"{total} exceeds the per-person cap of {cap}")
        self.total = total
        self.cap = cap


class CannotRevise(ScheduleError):
    def __init__(self, reason: str, committed: Money):
        super().__init__(f"{reason} ({committed} already paid or being paid)")
        self.committed = committed


class IllegalInstalmentTransition(ScheduleError):
    pass


class OverPayment(ScheduleError):
    """More would be paid, or put in payment, than the instalment's amount."""


@dataclass
class Instalment:
    id: str
    number: int
    amount: Money
    share: int  # its percentage of the programme's split, used to spread revisions
    paid: Money
    status: InstalmentStatus = InstalmentStatus.SCHEDULED

    @property
    def unpaid(self) -> Money:
        return self.amount - self.paid

    @property
    def is_open(self) -> bool:
        """Nothing paid or in payment yet, so a revision may still change the amount."""
        return self.status in _OPEN and self.paid.is_zero()

    def mark_due(self) -> None:
        self._move({InstalmentStatus.SCHEDULED}, InstalmentStatus.DUE)

    def start_paying(self) -> None:
        self._move({InstalmentStatus.DUE}, InstalmentStatus.PAYING)

    def record_paid(self, amount: Money) -> None:
        if self.status not in (InstalmentStatus.DUE, InstalmentStatus.PAYING):
            raise IllegalInstalmentTransition(f"instalment {self.number} is {self.status.value}")
        if amount > self.unpaid:
            raise OverPayment(f"{amount} paid against {self.unpaid} unpaid")
        self.paid += amount
        self.status = InstalmentStatus.PAID if self.unpaid.is_zero() else InstalmentStatus.DUE

    def payout_failed(self) -> None:
        """The money stays reserved; the instalment can be paid again by another payout."""
        if self.status is InstalmentStatus.PAYING:
            self.status = InstalmentStatus.DUE

    def cancel(self) -> Money:
        """Cancel what is not paid; returns the unpaid amount, to be released."""
        self._move(_OPEN, InstalmentStatus.CANCELLED)
        return self.unpaid

    def _move(self, allowed: set[InstalmentStatus], to: InstalmentStatus) -> None:
        if self.status not in allowed:
            raise IllegalInstalmentTransition(
                f"instalment {self.number} is {self.status.value}, cannot become {to.value}")
        self.status = to


_OPEN = {InstalmentStatus.SCHEDULED, InstalmentStatus.DUE}


@dataclass(frozen=True)
class DueFacts:
    """What has happened to the case, as far as the gates of the instalments go."""
    arrived: bool
    justified: Mapping[int, Money]  # justified expenses, by instalment number
    monitoring_contacts_completed: int


def instalments_becoming_due(instalments: Sequence[Instalment], facts: DueFacts,
                             threshold_percent: int) -> list[int]:
    """The numbers of the scheduled instalments whose gate is now open.

    Instalment 1 opens on arrival. Instalment n > 1 opens once instalment n-1 is fully
    paid and justified to at least `threshold_percent` of its amount, and at least one
    monitoring contact is completed — so it is never due before the one before it is paid.
    """
    ordered = sorted(instalments, key=lambda i: i.number)
    return [current.number for previous, current in zip([None, *ordered], ordered)
            if current.status is InstalmentStatus.SCHEDULED
            and _gate_open(previous, facts, threshold_percent)]


def _gate_open(previous: Instalment | None, facts: DueFacts, threshold_percent: int) -> bool:
    if previous is None:
        return facts.arrived
    justified = facts.justified.get(previous.number, Money.zero(previous.amount.currency))
    return (facts.arrived and previous.status is InstalmentStatus.PAID
            and justified.amount * 100 >= previous.amount.amount * threshold_percent
            and facts.monitoring_contacts_completed >= 1)


@dataclass(frozen=True)
class Revision:
    """How the reservation must change for a revised total (one of the two is zero)."""
    to_reserve: Money
    to_release: Money


@dataclass(frozen=True)
class Cancellation:
    """What a withdrawal cancelled and what to release.

    Instalments `still_paying` have a payout with the provider, which cannot be recalled.
    If it fails, or pays only part, call `cancel_unpaid` again: it releases the rest.
    """
    cancelled: list[int]
    to_release: Money
    still_paying: list[int]


@dataclass
class InstalmentSchedule:
    plan_id: str
    case_id: str
    programme_id: str
    cap: Money
    justification_threshold_percent: int
    instalments: list[Instalment]
    arrived: bool = False
    withdrawn: bool = False
    justified: dict[int, Money] = field(default_factory=dict)
    monitoring_contacts: set[str] = field(default_factory=set)
    events: list = field(default_factory=list)

    @property
    def total(self) -> Money:
        """The plan total still in force: cancelled instalments count for what they paid."""
        return _sum((i.paid if i.status is InstalmentStatus.CANCELLED else i.amount
                     for i in self.instalments), self.cap.currency)

    @property
    def paid(self) -> Money:
        return _sum((i.paid for i in self.instalments), self.cap.currency)

    @property
    def outstanding(self) -> Money:
        """What must stay reserved in the budget for this schedule."""
        return self.total - self.paid

    def instalment(self, number: int) -> Instalment:
        for instalment in self.instalments:
            if instalment.number == number:
                return instalment
        raise KeyError(f"plan {self.plan_id} has no instalment {number}")

    def record_payment(self, number: int, amount: Money) -> list[InstalmentDue]:
        """A payout of this instalment was paid; the next one may now fall due."""
        self.instalment(number).record_paid(amount)
        return self.refresh_due()

    def record_arrival(self) -> list[InstalmentDue]:
        self.arrived = True
        return self.refresh_due()

    def record_justified(self, number: int, justified_total: Money) -> list[InstalmentDue]:
        """The justified total so far against an instalment (the latest figure wins)."""
        self.justified[number] = justified_total
        return self.refresh_due()

    def record_monitoring_contact(self, contact_id: str) -> list[InstalmentDue]:
        # Kept by id so that a redelivered contact is not counted twice.
        self.monitoring_contacts.add(contact_id)
        return self.refresh_due()

    def facts(self) -> DueFacts:
        return DueFacts(self.arrived, dict(self.justified), len(self.monitoring_contacts))

    def refresh_due(self) -> list[InstalmentDue]:
        numbers = instalments_becoming_due(self.instalments, self.facts(),
                                           self.justification_threshold_percent)
        announced = [self._announce_due(self.instalment(number)) for number in numbers]
        self.events.extend(announced)
        return announced

    def _announce_due(self, instalment: Instalment) -> InstalmentDue:
        instalment.mark_due()
        return InstalmentDue(instalment_id=instalment.id, case_id=self.case_id,
                             plan_id=self.plan_id, number=instalment.number,
                             amount=instalment.amount)


def instalment_id_for(plan_id: str, number: int) -> str:
    return str(uuid.uuid5(_INSTALMENT_NAMESPACE, f"{plan_id}/{number}"))


def schedule_for_plan(plan_id: str, case_id: str, programme_id: str, total: Money,
                      split: list[int], cap: Money,
                      justification_threshold_percent: int = 100) -> InstalmentSchedule:
    """Instalments 1..n from the programme's split; remainder cents go to the last one."""
    _check_split(split)
    _check_within_cap(total, cap)
    amounts = _spread(total, split)
    instalments = [Instalment(instalment_id_for(plan_id, number), number, amount, share,
                              paid=Money.zero(total.currency))
                   for number, (amount, share) in enumerate(zip(amounts, split), start=1)]
    return InstalmentSchedule(plan_id, case_id, programme_id, cap,
                              justification_threshold_percent, instalments)


def revise(schedule: InstalmentSchedule, new_total: Money) -> Revision:
    """Spread a revised plan total over the open instalments, keeping their split.

    What is paid or being paid is never changed; a total that only covers it cancels
    the open instalments.
    """
    _check_within_cap(new_total, schedule.cap)
    if schedule.withdrawn:
        raise CannotRevise("the case was withdrawn", schedule.paid)
    open_ones = [i for i in schedule.instalments if i.is_open]
    committed = schedule.total - _sum((i.amount for i in open_ones), new_total.currency)
    if new_total < committed:
        raise CannotRevise(f"cannot revise to {new_total}", committed)
    if not open_ones and new_total != committed:
        raise CannotRevise("no unpaid instalment is left to revise", committed)
    before = schedule.outstanding
    _reapportion(open_ones, new_total - committed)
    change = schedule.outstanding - before
    zero = Money.zero(change.currency)
    return Revision(to_reserve=max(change, zero), to_release=max(-change, zero))


def cancel_unpaid(schedule: InstalmentSchedule) -> Cancellation:
    """A withdrawn or cancelled case: every instalment not paid nor in payment is cancelled.

    Safe to repeat: a second call cancels only what has become cancellable since.
    """
    schedule.withdrawn = True
    open_ones = [i for i in schedule.instalments if i.status in _OPEN]
    released = _sum([i.cancel() for i in open_ones], schedule.cap.currency)
    paying = [i.number for i in schedule.instalments if i.status is InstalmentStatus.PAYING]
    return Cancellation([i.number for i in open_ones], released, paying)


def _reapportion(open_ones: list[Instalment], pool: Money) -> None:
    if pool.is_zero():
        for instalment in open_ones:
            instalment.cancel()
        return
    for instalment, amount in zip(open_ones, _spread(pool, [i.share for i in open_ones])):
        instalment.amount = amount


def _spread(total: Money, weights: list[int]) -> list[Money]:
    parts = [total.amount * weight // sum(weights) for weight in weights]
    parts[-1] += total.amount - sum(parts)
    if any(part <= 0 for part in parts):
        raise InvalidSplit(f"{total} is too small to split {weights}")
    return [Money(part, total.currency) for part in parts]


def _check_split(split: list[int]) -> None:
    if not split or sum(split) != 100 or any(share <= 0 for share in split):
        raise InvalidSplit(f"a split needs positive percentages summing to 100, got {split}")


def _check_within_cap(total: Money, cap: Money) -> None:
    if total > cap:
        raise ExceedsCap(total, cap)
    if total.amount <= 0:
        raise InvalidSplit(f"a plan total must be positive, got {total}")


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    return sum(amounts, Money.zero(currency))
