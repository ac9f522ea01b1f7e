"""What approving a plan version does to the programme budget, and under which names.

Payments owns the budget ledger; plans only says how much to reserve or release, against
which reference and under which operation id:

- the **reference** is one earmark per plan (`plan:<plan_id>`): every version draws on it,
  so a revision reserves or releases only its difference and a cancellation releases what
  is left;
- an **operation id** names one request to payments. Payments answers the same id with the
  same data the same way, so a retried or recovered request can never reserve twice. An
  approval attempt that was abandoned (its reservation compensated) must not be answered
  from payments' memory of it, so the next attempt at the same version gets a new id.
"""
from __future__ import annotations

from dataclasses import dataclass

from reintegra.money import Money


def reservation_id_for(plan_id: str) -> str:
    """The plan's earmark in the programme budget (the `reservation_id` of `plan_approved`)."""
    return f"plan:{plan_id}"


def reserve_operation_id(plan_id: str, version: int, attempt: int = 1) -> str:
    suffix = "" if attempt == 1 else f":{attempt}"
    return f"plan:{plan_id}:v{version}:reserve{suffix}"


def release_operation_id(plan_id: str, version: int) -> str:
    """Releasing what a lowering revision `version` no longer needs."""
    return f"plan:{plan_id}:v{version}:release"


def cancellation_operation_id(plan_id: str) -> str:
    return f"plan:{plan_id}:cancel"


def compensation_operation_id(reserve_operation: str) -> str:
    return f"{reserve_operation}:compensate"


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
