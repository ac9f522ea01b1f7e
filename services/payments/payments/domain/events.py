"""Events the payments engine announces (through the outbox).

Their fields mirror the `payments` contracts in `reintegra.contracts.events`: ids, codes
and amounts only — never names or anything else about the person.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from reintegra.money import Money


@dataclass(frozen=True)
class Event:
    name: ClassVar[str]

    def payload(self) -> dict:
        """The contract's body: plain data, money as {amount, currency}."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value):
    return value.to_dict() if isinstance(value, Money) else value


@dataclass(frozen=True)
class _BudgetMovement(Event):
    reservation_id: str
    programme_id: str
    amount: Money


@dataclass(frozen=True)
class BudgetReserved(_BudgetMovement):
    name: ClassVar[str] = "budget_reserved"


@dataclass(frozen=True)
class BudgetReleased(_BudgetMovement):
    name: ClassVar[str] = "budget_released"


@dataclass(frozen=True)
class InstalmentDue(Event):
    name: ClassVar[str] = "instalment_due"
    instalment_id: str
    case_id: str
    plan_id: str
    number: int
    amount: Money


@dataclass(frozen=True)
class _PayoutEvent(Event):
    """What every payout event says: which payout, of which instalment, by which route."""
    payout_id: str
    instalment_id: str
    case_id: str
    route: str
    amount: Money


@dataclass(frozen=True)
class PayoutReleased(_PayoutEvent):
    name: ClassVar[str] = "payout_released"
    batch_id: str | None


@dataclass(frozen=True)
class PayoutPaid(_PayoutEvent):
    name: ClassVar[str] = "payout_paid"


@dataclass(frozen=True)
class PayoutFailed(_PayoutEvent):
    name: ClassVar[str] = "payout_failed"
    reason: str
