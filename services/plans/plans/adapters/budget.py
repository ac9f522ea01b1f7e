"""The programme budget, which payments owns, as plans sees it (a port over payments' RPCs).

Every request carries an operation id: payments answers a repeated id with the same data the
same way and never applies it twice, which is what makes the approval saga safe to retry.
"""
from __future__ import annotations

from dataclasses import dataclass

from reintegra.contracts.errors import Conflict
from reintegra.money import Money


class BudgetRefused(Exception):
    """Payments would not reserve: the programme's available budget is too small."""

    def __init__(self, available: Money | None, message: str):
        self.available = available
        super().__init__(message)


@dataclass(frozen=True)
class Released:
    released: Money
    still_reserved: Money


class PaymentsBudget:
    def __init__(self, payments_rpc):
        self._payments = payments_rpc

    def reserve(self, operation_id: str, programme_id: str, reference: str, amount: Money,
                case_id: str | None) -> Money:
        """Reserve `amount` against `reference`; returns what the programme has left.

        Raises BudgetRefused (nothing reserved) when the programme cannot cover it.
        """
        try:
            answer = self._payments.reserve_budget(operation_id, programme_id, reference,
                                                   amount.to_dict(), case_id)
        except Conflict as refused:
            available = refused.details.get("available")
            raise BudgetRefused(_money(available) if available else None,
                                refused.message) from None
        return Money.from_dict(answer["available"])

    def release(self, operation_id: str, programme_id: str, reference: str,
                amount: Money | None) -> Released:
        """Release `amount` of what `reference` holds, or (None) all it still holds free."""
        answer = self._payments.release_budget(operation_id, programme_id, reference,
                                               amount.to_dict() if amount else None)
        return Released(Money.from_dict(answer["released"]),
                        Money.from_dict(answer["still_reserved"]))

    def available(self, programme_id: str) -> Money:
        """What the programme can still reserve (payments' budget report)."""
        return Money.from_dict(self._payments.get_budget(programme_id)["available"])


def _money(value: dict) -> Money:
    # nameko sends an exception's arguments through str(), so an error's amounts arrive as
    # digit strings: read them back as the integers they were.
    return Money(int(value["amount"]), value["currency"])
