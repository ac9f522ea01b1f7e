"""What happened to a plan; recorded on `Plan.events` and published through the outbox.

Every event names the programme, because the budget the plan draws on belongs to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from reintegra.money import Money

from .plan_lines import Category


@dataclass(frozen=True)
class PlanSubmitted:
    case_id: str
    plan_id: str
    programme_id: str
    version: int
    total: Money
    submitted_by: str


@dataclass(frozen=True)
class PlanApproved:
    """A version came into force.

    `reservation_id` is the budget reserved for it (None when it needed no more budget);
    `released` is what the previous version held and this one no longer needs.
    `approved_by` is None when a revision was approved automatically.
    """
    case_id: str
    plan_id: str
    programme_id: str
    version: int
    total: Money
    lines: tuple[tuple[Category, Money], ...]
    currency: str
    approved_by: str | None
    reservation_id: str | None
    released: Money


@dataclass(frozen=True)
class PlanRejected:
    case_id: str
    plan_id: str
    programme_id: str
    version: int
    reason: str
    rejected_by: str


@dataclass(frozen=True)
class PlanRevised:
    case_id: str
    plan_id: str
    programme_id: str
    version: int
    total: Money
    reason: str
    revised_by: str
    needs_approval: bool


@dataclass(frozen=True)
class PlanCancelled:
    """`released` is the budget still reserved for the plan, to give back to the programme."""
    case_id: str
    plan_id: str
    programme_id: str
    released: Money
    reason: str
