"""Weighted evaluation of an application.

Each criterion is scored by the interviewer as a whole number from 0 to 10 (a scale a
caseworker can use consistently in an interview). Weights are whole percentages summing
to 100 and are versioned programme configuration, so a score is always stored together
with the version of the weights that produced it.

The weighted score is sum(score × weight) / 10, a value from 0 to 100 with exactly one
decimal place; it is computed in integers and given as a Decimal, never a float, so two
equal evaluations can never rank differently because of rounding.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Mapping

from .errors import InvalidRequest

MIN_SCORE = 0
MAX_SCORE = 10


class Criterion(str, Enum):
    NEEDS = "needs"
    VULNERABILITY = "vulnerability"
    SKILLS = "skills"
    SUSTAINABILITY_AND_FEASIBILITY = "sustainability_and_feasibility"
    MONITORING_AVAILABLE = "monitoring_available"


class InvalidScore(InvalidRequest):
    def __init__(self, criterion: Criterion, value: object):
        self.criterion, self.value = criterion, value
        super().__init__(f"{criterion.value} must be a whole number from {MIN_SCORE} "
                         f"to {MAX_SCORE}, got {value!r}")


class InvalidWeights(InvalidRequest):
    """The programme's scoring weights are not a complete set of percentages."""


@dataclass(frozen=True)
class CriteriaScores:
    needs: int
    vulnerability: int
    skills: int
    sustainability_and_feasibility: int
    monitoring_available: int

    def __post_init__(self):
        for criterion in Criterion:
            value = self.score_for(criterion)
            if not _is_whole(value) or not MIN_SCORE <= value <= MAX_SCORE:
                raise InvalidScore(criterion, value)

    def score_for(self, criterion: Criterion) -> int:
        return getattr(self, criterion.value)


@dataclass(frozen=True)
class ScoringWeights:
    version: str
    weights: Mapping[Criterion, int]

    def __post_init__(self):
        if not isinstance(self.version, str) or not self.version.strip():
            raise InvalidWeights("weights need a version id")
        if set(self.weights) != set(Criterion):
            raise InvalidWeights("weights must name every criterion exactly once: "
                                 + ", ".join(c.value for c in Criterion))
        if not all(_is_whole(w) and w >= 0 for w in self.weights.values()):
            raise InvalidWeights("weights must be whole, non-negative percentages")
        if sum(self.weights.values()) != 100:
            raise InvalidWeights(f"weights must sum to 100, got {sum(self.weights.values())}")
        # Frozen outside and in: a caller keeping the dict must not change a stored version.
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))

    def weight_for(self, criterion: Criterion) -> int:
        return self.weights[criterion]


def weighted_score(scores: CriteriaScores, weights: ScoringWeights) -> Decimal:
    points = sum(scores.score_for(c) * weights.weight_for(c) for c in Criterion)
    return Decimal(points).scaleb(-1)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
