"""The application for reintegration support, produced by the interview after return approval."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from reintegra.money import Money

from .case_facts import CaseFacts, VulnerabilityLevel
from .errors import Conflict, IllegalTransition, InvalidRequest, require_text
from .scoring import CriteriaScores, ScoringWeights, weighted_score


class ApplicationStatus(str, Enum):
    SUBMITTED = "submitted"
    EVALUATED = "evaluated"
    SUPPORTED = "supported"          # its plan was approved
    NOT_SUPPORTED = "not_supported"


class CaseNotReturnApproved(Conflict):
    def __init__(self, case_id: str, status: str):
        self.case_id, self.status = case_id, status
        super().__init__(f"case {case_id} is {status}: an application is possible only "
                         "once its return is approved and before it is closed")


class RequestedAmountNotPositive(InvalidRequest):
    def __init__(self, amount: Money):
        self.amount = amount
        super().__init__(f"requested amount must be more than zero, got {amount}")


@dataclass
class Application:
    id: str
    case_id: str
    programme_id: str
    applied_on: date
    interview_date: date
    needs: str
    skills: str
    intended_use: str
    household_situation: str
    # A snapshot taken at the interview: the evaluation and the ranking's tie-break
    # must not shift silently when intake later reassesses the case.
    vulnerability_level: VulnerabilityLevel
    requested_amount: Money
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    scores: CriteriaScores | None = None
    score: Decimal | None = None
    weights_version: str | None = None
    evaluated_by: str | None = None
    evaluated_at: datetime | None = None
    decision_reason: str | None = None

    @classmethod
    def submit(cls, application_id: str, case: CaseFacts, *, applied_on: date,
               interview_date: date, needs: str, skills: str, intended_use: str,
               household_situation: str, requested_amount: Money) -> "Application":
        """Needs and intended use are required; skills and household may be left empty."""
        if not case.open_for_application:
            raise CaseNotReturnApproved(case.case_id, case.status.value)
        if requested_amount.amount <= 0:
            raise RequestedAmountNotPositive(requested_amount)
        return cls(application_id, case.case_id, case.programme_id, applied_on,
                   interview_date, require_text(needs, "needs"), skills.strip(),
                   require_text(intended_use, "intended_use"), household_situation.strip(),
                   case.vulnerability_level, requested_amount)

    def evaluate(self, scores: CriteriaScores, weights: ScoringWeights, evaluated_by: str,
                 at: datetime) -> None:
        """Score it; re-evaluating (e.g. with a new weights version) is allowed until decided."""
        self._require(ApplicationStatus.SUBMITTED, ApplicationStatus.EVALUATED, action="evaluate")
        self.scores = scores
        self.score = weighted_score(scores, weights)
        self.weights_version = weights.version
        self.evaluated_by, self.evaluated_at = evaluated_by, at
        self.status = ApplicationStatus.EVALUATED

    def mark_supported(self) -> None:
        """Called when the case's plan is approved; repeated approvals change nothing."""
        if self.status == ApplicationStatus.SUPPORTED:
            return
        self._require(ApplicationStatus.EVALUATED, action="support")
        self.status = ApplicationStatus.SUPPORTED

    def mark_not_supported(self, reason: str) -> None:
        """Possible before evaluation too, e.g. when the case is withdrawn."""
        self._require(ApplicationStatus.SUBMITTED, ApplicationStatus.EVALUATED,
                      action="decline")
        self.decision_reason = require_text(reason, "reason")
        self.status = ApplicationStatus.NOT_SUPPORTED

    def _require(self, *allowed: ApplicationStatus, action: str) -> None:
        if self.status not in allowed:
            raise IllegalTransition(f"application {self.id}", self.status.value, action)
