"""The operations view of a programme, built from payments' events: where the money is.

Events from different queues arrive in any order (a payout's `payout_paid` may overtake its
`payout_released`), so a payout keeps the furthest status it was reported in, and every
figure is computed from the facts kept rather than counted as events arrive.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from reintegra.money import Money

RELEASED, PAID, FAILED = "released", "paid", "failed"
PAYOUT_STATUSES = (RELEASED, PAID, FAILED)
# Paid and failed are both final: payments never moves a payout out of either.
_PROGRESS = {RELEASED: 0, PAID: 1, FAILED: 1}
RESERVED, RELEASED_BUDGET = "reserved", "released"


def furthest_status(current: str | None, reported: str) -> str:
    """The status to keep for a payout: a late or repeated report never moves it back."""
    if current is None or _PROGRESS[reported] > _PROGRESS[current]:
        return reported
    return current


@dataclass(frozen=True)
class PayoutFact:
    instalment_id: str
    route: str
    status: str
    amount: Money


@dataclass(frozen=True)
class BudgetMovement:
    kind: str  # RESERVED or RELEASED_BUDGET
    amount: Money


@dataclass(frozen=True)
class DueInstalment:
    instalment_id: str
    amount: Money


def _totals(amounts: Iterable[Money]) -> list[dict]:
    """Money summed per currency, in currency order (never added across currencies)."""
    sums: dict[str, Money] = {}
    for amount in amounts:
        sums[amount.currency] = sums.get(amount.currency, Money.zero(amount.currency)) + amount
    return [sums[currency].to_dict() for currency in sorted(sums)]


def _routes(payouts: list[PayoutFact]) -> list[dict]:
    by_route: dict[str, list[PayoutFact]] = defaultdict(list)
    for payout in payouts:
        by_route[payout.route].append(payout)
    return [{"route": route,
             "payouts": {status: sum(p.status == status for p in facts) for status in PAYOUT_STATUSES},
             "paid": _totals(p.amount for p in facts if p.status == PAID)}
            for route, facts in sorted(by_route.items())]


def _budget(movements: list[BudgetMovement]) -> list[dict]:
    currencies = sorted({m.amount.currency for m in movements})
    return [{"currency": currency,
             **{kind: sum(m.amount.amount for m in movements
                          if m.kind == kind and m.amount.currency == currency)
                for kind in (RESERVED, RELEASED_BUDGET)}}
            for currency in currencies]


def _instalments(due: list[DueInstalment], payouts: list[PayoutFact]) -> dict:
    paid = {p.instalment_id for p in payouts if p.status == PAID}
    waiting = [i for i in due if i.instalment_id not in paid]
    return {"due": len(due), "awaiting_payment": len(waiting),
            "amount_awaiting_payment": _totals(i.amount for i in waiting)}


def operations_summary(programme_id: str, payouts: list[PayoutFact],
                       movements: list[BudgetMovement], due: list[DueInstalment]) -> dict:
    """Payouts by route and status with the amount paid per currency, budget reserved and
    released per currency (minor units), and the instalments that fell due and await payment."""
    return {"programme_id": programme_id,
            "routes": _routes(payouts),
            "paid": _totals(p.amount for p in payouts if p.status == PAID),
            "budget": _budget(movements),
            "instalments": _instalments(due, payouts)}
