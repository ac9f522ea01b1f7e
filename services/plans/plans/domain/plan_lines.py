"""Lines of an individual reintegration plan and the rules a set of lines must keep."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from reintegra.money import Money

from .errors import InvalidRequest


class Category(str, Enum):
    INCOME_GENERATING_ACTIVITY = "income_generating_activity"
    VOCATIONAL_TRAINING = "vocational_training"
    EDUCATION = "education"
    HEALTH = "health"
    HOUSING = "housing"
    BASIC_NECESSITIES = "basic_necessities"
    OTHER = "other"


# Income generation and training are what the allowance is for; the sources allow the
# other uses only "after an individual analysis", so those lines must say why.
NO_JUSTIFICATION_NEEDED = frozenset({Category.INCOME_GENERATING_ACTIVITY,
                                     Category.VOCATIONAL_TRAINING})


@dataclass(frozen=True)
class Supplier:
    name: str
    reference: str | None = None


@dataclass(frozen=True)
class PlanLine:
    category: Category
    description: str
    amount: Money
    supplier: Supplier | None = None
    justification: str | None = None


class EmptyPlan(InvalidRequest):
    def __init__(self):
        super().__init__("a plan needs at least one line")


class InvalidLine(InvalidRequest):
    """A rule broken by one line; `field` names it the way the HTTP error lists it."""

    def __init__(self, line_index: int, attribute: str, message: str):
        self.line_index = line_index
        self.field = f"lines[{line_index}].{attribute}"
        super().__init__(f"{self.field}: {message}")


class JustificationRequired(InvalidLine):
    def __init__(self, line_index: int, category: Category):
        super().__init__(line_index, "justification",
                         f"a {category.value} line needs a written justification")


class DescriptionRequired(InvalidLine):
    def __init__(self, line_index: int):
        super().__init__(line_index, "description", "a description is required")


class SupplierNameRequired(InvalidLine):
    def __init__(self, line_index: int):
        super().__init__(line_index, "supplier.name", "a supplier needs a name")


class AmountNotPositive(InvalidLine):
    def __init__(self, line_index: int, amount: Money):
        super().__init__(line_index, "amount", f"must be more than zero, got {amount}")


class WrongCurrency(InvalidLine):
    def __init__(self, line_index: int, expected: str, actual: str):
        self.expected, self.actual = expected, actual
        super().__init__(line_index, "amount",
                         f"must be in the programme currency {expected}, got {actual}")


class CapExceeded(InvalidRequest):
    def __init__(self, cap: Money, total: Money):
        self.cap, self.total, self.excess = cap, total, total - cap
        super().__init__(f"plan total {total} exceeds the programme cap {cap} by {self.excess}")


def validate_lines(lines: Sequence[PlanLine], cap: Money) -> Money:
    """Check every rule on a set of lines and return their total.

    `cap` is the programme's per-beneficiary cap; its currency is the programme's.
    """
    if not lines:
        raise EmptyPlan()
    for index, line in enumerate(lines):
        _validate_line(index, line, cap.currency)
    total = sum((line.amount for line in lines), Money.zero(cap.currency))
    if total > cap:
        raise CapExceeded(cap, total)
    return total


def _validate_line(index: int, line: PlanLine, currency: str) -> None:
    if line.amount.currency != currency:
        raise WrongCurrency(index, currency, line.amount.currency)
    if line.amount.amount <= 0:
        raise AmountNotPositive(index, line.amount)
    if _blank(line.description):
        raise DescriptionRequired(index)
    if line.supplier is not None and _blank(line.supplier.name):
        raise SupplierNameRequired(index)
    if line.category not in NO_JUSTIFICATION_NEEDED and _blank(line.justification):
        raise JustificationRequired(index, line.category)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()
