"""What approving a plan version does to the programme budget.

Payments owns the budget ledger; plans only says how much to reserve or release and under
which reference. The reference is fixed per (plan, version), so a retried approval asks for
the same reservation again and payments can grant it once, whatever crashes or retries
happen in between.
"""
from __future__ import annotations

from dataclasses import dataclass

from reintegra.money import Money


def reservation_id_for(plan_id: str, version: int) -> str:
    return f"plan:{plan_id}:v{version}"


@dataclass(frozen=True)
class BudgetChange:
    """`delta` = the version's total minus the total of the version in force before it.

    The first approval reserves the whole total; a revision reserves only what it adds,
    or releases what it no longer needs.
    """
    reference: str
    delta: Money

    @property
    def needs_reservation(self) -> bool:
        return self.delta.amount > 0

    @property
    def to_reserve(self) -> Money:
        return self.delta if self.needs_reservation else Money.zero(self.delta.currency)

    @property
    def to_release(self) -> Money:
        return -self.delta if self.delta.is_negative() else Money.zero(self.delta.currency)
