"""Ranking evaluated applications against what is left of a programme's budget.

Support is limited by budget, so a supervisor needs to see, in order of merit, who the
remaining budget can still cover.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from reintegra.money import Money

from .application import Application, ApplicationStatus


class MixedProgrammes(ValueError):
    """Applications from different programmes compete for different budgets."""


@dataclass(frozen=True)
class RankedApplication:
    rank: int
    application_id: str
    score: Decimal
    needed: Money
    covered: bool
    remaining_after: Money


def rank_applications(applications: Iterable[Application], remaining_budget: Money,
                      plan_totals: Mapping[str, Money] | None = None) -> list[RankedApplication]:
    """Rank the evaluated applications of one programme, best first.

    Only `evaluated` applications compete: others are not scored yet or already decided
    (a supported one's reservation is already out of `remaining_budget`). An application
    needs its drafted plan's total when `plan_totals` (by application id) has one, else its
    requested amount. The budget is consumed in rank order; one it cannot cover consumes
    nothing, so a cheaper application further down may still be covered — that is exactly
    "who can still be supported".
    """
    candidates = [a for a in applications if a.status == ApplicationStatus.EVALUATED]
    _require_one_programme(candidates)
    plan_totals = plan_totals or {}
    ranked, remaining = [], remaining_budget
    for rank, application in enumerate(sorted(candidates, key=_merit_order), start=1):
        needed = plan_totals.get(application.id, application.requested_amount)
        covered = needed <= remaining
        if covered:
            remaining -= needed
        ranked.append(RankedApplication(rank, application.id, application.score, needed,
                                        covered, remaining))
    return ranked


def _merit_order(application: Application) -> tuple:
    # Ties go to the more vulnerable person, then to whoever applied first; the id makes
    # the order total, so the same data always gives the same ranking.
    return (-application.score, -application.vulnerability_level.severity,
            application.applied_on, application.id)


def _require_one_programme(applications: list[Application]) -> None:
    programmes = {a.programme_id for a in applications}
    if len(programmes) > 1:
        raise MixedProgrammes(f"cannot rank across programmes: {sorted(programmes)}")
