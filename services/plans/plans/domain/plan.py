"""The individual reintegration plan: versioned lines and their review workflow.

Each version is draft → submitted → approved | rejected. Approving a version brings it
into force and supersedes the one before; every version stays in `versions` as history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Sequence

from reintegra.money import Money

from .errors import Conflict, IllegalTransition, require_text
from .four_eyes import Actor, check_case_staff, check_reviewer
from .plan_budget import BudgetChange, reservation_id_for
from .plan_events import PlanApproved, PlanCancelled, PlanRejected, PlanRevised, PlanSubmitted
from .plan_lines import Category, PlanLine, validate_lines


class VersionStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"        # in force
    REJECTED = "rejected"
    SUPERSEDED = "superseded"    # was in force until a later version was approved
    CANCELLED = "cancelled"


_AWAITING_REVIEW = (VersionStatus.DRAFT, VersionStatus.SUBMITTED)


@dataclass(eq=False)
class PlanVersion:
    number: int
    lines: tuple[PlanLine, ...]
    total: Money
    drafted_by: str
    drafted_at: datetime
    revision_reason: str | None = None
    status: VersionStatus = VersionStatus.DRAFT
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    auto_approved: bool = False
    reservation_id: str | None = None
    rejected_by: str | None = None
    rejected_at: datetime | None = None
    rejection_reason: str | None = None
    cancelled_at: datetime | None = None

    @property
    def categories(self) -> frozenset[Category]:
        return frozenset(line.category for line in self.lines)

    def changes_terms_of(self, other: "PlanVersion") -> bool:
        return self.total != other.total or self.categories != other.categories


class PlanIsCancelled(Conflict):
    def __init__(self, plan_id: str):
        super().__init__(f"plan {plan_id} is cancelled")


class VersionNotCurrent(Conflict):
    def __init__(self, requested: int, current: int):
        self.requested, self.current = requested, current
        super().__init__(f"version {requested} is not the current version of the plan "
                         f"(it is {current})")


class VersionAwaitingReview(Conflict):
    def __init__(self, version: int, status: VersionStatus):
        super().__init__(f"version {version} is still {status.value}: it must be approved "
                         "or rejected before the plan can be revised")


class RevisionBeforeArrival(Conflict):
    def __init__(self, plan_id: str):
        super().__init__(f"plan {plan_id} is approved: it may be revised only after the "
                         "person has arrived")


class ReservationMismatch(Conflict):
    def __init__(self, expected: str | None, given: str | None):
        self.expected, self.given = expected, given
        needed = f"reservation {expected}" if expected else "no reservation"
        super().__init__(f"this approval needs {needed}, got {given!r}")


class Plan:
    def __init__(self, id: str, case_id: str, programme_id: str, currency: str,
                 versions: list[PlanVersion], cancelled_at: datetime | None = None,
                 cancellation_reason: str | None = None):
        self.id = id
        self.case_id = case_id
        self.programme_id = programme_id
        self.currency = currency
        self.versions = versions
        self.cancelled_at = cancelled_at
        self.cancellation_reason = cancellation_reason
        self.events: list = []

    @classmethod
    def draft(cls, plan_id: str, case_id: str, programme_id: str, lines: Sequence[PlanLine],
              cap: Money, drafted_by: Actor, at: datetime) -> "Plan":
        """A first draft; possible before return. `cap` is the programme's allowance cap."""
        check_case_staff(drafted_by, "draft")
        total = validate_lines(lines, cap)
        first = PlanVersion(1, tuple(lines), total, drafted_by.user_id, at)
        return cls(plan_id, case_id, programme_id, cap.currency, [first])

    @property
    def current_version(self) -> PlanVersion:
        return self.versions[-1]

    @property
    def version_in_force(self) -> PlanVersion | None:
        return next((v for v in reversed(self.versions)
                     if v.status == VersionStatus.APPROVED), None)

    @property
    def status(self) -> VersionStatus:
        if self.cancelled_at is not None:
            return VersionStatus.CANCELLED
        return self.current_version.status

    def submit(self, version: int, actor: Actor, at: datetime) -> None:
        check_case_staff(actor, "submit")
        submitted = self._current(version)
        self._require(submitted, VersionStatus.DRAFT, "submit")
        submitted.status = VersionStatus.SUBMITTED
        submitted.submitted_by, submitted.submitted_at = actor.user_id, at
        self.events.append(PlanSubmitted(self.case_id, self.id, self.programme_id,
                                         submitted.number, submitted.total, actor.user_id))

    def prepare_approval(self, version: int, approver: Actor) -> BudgetChange:
        """Check that `approver` may approve `version` now and say what it does to the budget.

        Changes nothing: the service calls it before asking payments for a reservation, so
        no reservation is made for an approval that would be refused anyway.
        """
        candidate = self._current(version)
        check_reviewer(approver, candidate.number, candidate.drafted_by,
                       candidate.submitted_by, "approve")
        self._require(candidate, VersionStatus.SUBMITTED, "approve")
        return self._budget_change(candidate)

    def approve(self, version: int, approver: Actor, reservation_id: str | None,
                at: datetime) -> None:
        """Bring `version` into force once payments has granted its reservation.

        `reservation_id` is the granted `BudgetChange.reference` when the change needs a
        reservation, else None. Approving an approved version again with the same
        reservation changes nothing, so a retried command is harmless.
        """
        candidate = self._current(version)
        check_reviewer(approver, candidate.number, candidate.drafted_by,
                       candidate.submitted_by, "approve")
        if (candidate.status == VersionStatus.APPROVED
                and candidate.reservation_id == reservation_id):
            return
        self._require(candidate, VersionStatus.SUBMITTED, "approve")
        change = self._budget_change(candidate)
        expected = change.reference if change.needs_reservation else None
        if reservation_id != expected:
            raise ReservationMismatch(expected, reservation_id)
        candidate.approved_by = approver.user_id
        self._bring_into_force(candidate, change, reservation_id, at)

    def reject(self, version: int, reviewer: Actor, reason: str, at: datetime) -> None:
        """Rejecting is reviewing too, so it follows the same four-eyes rule as approving."""
        candidate = self._current(version)
        check_reviewer(reviewer, candidate.number, candidate.drafted_by,
                       candidate.submitted_by, "reject")
        self._require(candidate, VersionStatus.SUBMITTED, "reject")
        candidate.rejection_reason = require_text(reason, "reason")
        candidate.status = VersionStatus.REJECTED
        candidate.rejected_by, candidate.rejected_at = reviewer.user_id, at
        self.events.append(PlanRejected(self.case_id, self.id, self.programme_id,
                                        candidate.number, candidate.rejection_reason,
                                        reviewer.user_id))

    def revise(self, lines: Sequence[PlanLine], reason: str, actor: Actor,
               case_arrived: bool, cap: Money, at: datetime) -> PlanVersion:
        """Open a new version with `lines`, for `reason`; returns it.

        Once a version is in force, revisions wait for the person's arrival. A revision
        that keeps the total and the set of categories of the version in force (it only
        rewords descriptions, changes suppliers or moves amounts between lines of the same
        categories) comes into force at once; any other is a draft to submit and approve
        again, and the version in force stays in force meanwhile. With nothing in force
        (the last version was rejected) the revision is simply a new draft.
        """
        check_case_staff(actor, "revise")
        self._require_not_cancelled()
        reason = require_text(reason, "reason")
        current, in_force = self.current_version, self.version_in_force
        if current.status in _AWAITING_REVIEW:
            raise VersionAwaitingReview(current.number, current.status)
        if in_force is not None and not case_arrived:
            raise RevisionBeforeArrival(self.id)
        revision = PlanVersion(len(self.versions) + 1, tuple(lines),
                               self._validate(lines, cap), actor.user_id, at,
                               revision_reason=reason)
        self.versions.append(revision)
        needs_approval = in_force is None or revision.changes_terms_of(in_force)
        self.events.append(PlanRevised(self.case_id, self.id, self.programme_id,
                                       revision.number, revision.total, reason,
                                       actor.user_id, needs_approval))
        if not needs_approval:
            revision.auto_approved = True
            self._bring_into_force(revision, self._budget_change(revision), None, at)
        return revision

    def cancel(self, reason: str, at: datetime) -> Money:
        """Cancel the plan (the case was withdrawn); returns the reservation to release.

        Cancelling twice releases nothing the second time, so a redelivered
        `case_withdrawn` is harmless.
        """
        if self.cancelled_at is not None:
            return Money.zero(self.currency)
        reason = require_text(reason, "reason")
        in_force = self.version_in_force
        released = in_force.total if in_force else Money.zero(self.currency)
        for version in self.versions:
            if version.status in (*_AWAITING_REVIEW, VersionStatus.APPROVED):
                version.status, version.cancelled_at = VersionStatus.CANCELLED, at
        self.cancelled_at, self.cancellation_reason = at, reason
        self.events.append(PlanCancelled(self.case_id, self.id, self.programme_id,
                                         released, reason))
        return released

    def _bring_into_force(self, version: PlanVersion, change: BudgetChange,
                          reservation_id: str | None, at: datetime) -> None:
        previous = self.version_in_force
        if previous is not None:
            previous.status = VersionStatus.SUPERSEDED
        version.status, version.approved_at = VersionStatus.APPROVED, at
        version.reservation_id = reservation_id
        self.events.append(PlanApproved(
            self.case_id, self.id, self.programme_id, version.number, version.total,
            tuple((line.category, line.amount) for line in version.lines), self.currency,
            version.approved_by, reservation_id, change.to_release))

    def _budget_change(self, version: PlanVersion) -> BudgetChange:
        in_force = self.version_in_force
        held = in_force.total if in_force else Money.zero(self.currency)
        return BudgetChange(reservation_id_for(self.id), version.total - held)

    def _validate(self, lines: Sequence[PlanLine], cap: Money) -> Money:
        if cap.currency != self.currency:
            # A programme's currency is fixed; a cap in another one is a wiring mistake.
            raise ValueError(f"cap in {cap.currency} for a plan in {self.currency}")
        return validate_lines(lines, cap)

    def _current(self, version: int) -> PlanVersion:
        self._require_not_cancelled()
        if version != self.current_version.number:
            raise VersionNotCurrent(version, self.current_version.number)
        return self.current_version

    def _require_not_cancelled(self) -> None:
        if self.cancelled_at is not None:
            raise PlanIsCancelled(self.id)

    def _require(self, version: PlanVersion, status: VersionStatus, action: str) -> None:
        if version.status != status:
            raise IllegalTransition(f"version {version.number}", version.status.value, action)
