"""The Case aggregate: one person's return, from registration to closure.

It records the events its changes cause in `case.events`; the service layer hands them to
the outbox after committing. Sensitive vulnerability factors live in `SensitiveDetails`,
apart from everything an event or a log line is built from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from .eligibility import EligibilityDecision
from .errors import InvalidVulnerabilityFactors, NothingToDecide
from .events import CASE_REGISTERED, CaseEvent
from .journey import CaseStatus, Transition, apply_transition
from .person import PersonDetails
from .roles import CASEWORKER, SUPERVISOR
from .vulnerability import (DERIVED_FACTORS, SENSITIVE_FACTORS, OtherFactor,
                            VulnerabilityFactor, VulnerabilityLevel, derived_factors,
                            split_sensitive, vulnerability_level)

# Transition data that may travel in events: dates and the destination airport code.
_PUBLISHED_TRANSITION_DATA = ("travel_date", "destination_airport", "arrival_date")


@dataclass(frozen=True)
class SensitiveDetails:
    """Special-category data (trafficking, health, substance dependence, disability):
    stored encrypted, shown only to the assigned caseworker and to supervisors, and never
    put in events, logs, metrics or notifications. Its repr hides the content so that a
    stray log line cannot reveal it."""
    factors: frozenset[VulnerabilityFactor] = frozenset()

    def __post_init__(self):
        ordinary = sorted(set(self.factors) - SENSITIVE_FACTORS)
        if ordinary:
            raise ValueError(f"not sensitive factors: {', '.join(ordinary)}")

    def __repr__(self) -> str:
        return "SensitiveDetails(<protected>)"


@dataclass(eq=False, repr=False)
class Case:
    id: str
    programme_id: str
    person: PersonDetails
    assigned_caseworker_id: str
    status: CaseStatus
    vulnerability_factors: frozenset[VulnerabilityFactor] = frozenset()
    other_vulnerability: OtherFactor | None = None
    sensitive: SensitiveDetails = SensitiveDetails()
    eligibility_reasons: tuple[str, ...] = ()
    history: list[Transition] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)

    @classmethod
    def register(cls, *, case_id: str, programme_id: str, person: PersonDetails,
                 eligibility: EligibilityDecision, actor_id: str, actor_role: str,
                 at: datetime, vulnerability_factors: Iterable[VulnerabilityFactor] = (),
                 vulnerability_other_text: str | None = None) -> Case:
        """A new case, `registered` — or `rejected` with the eligibility reasons when the
        person is not eligible: an ineligible person is recorded, not dropped. The
        registering caseworker is assigned to the case. Records `case_registered`."""
        ordinary, sensitive = split_sensitive(vulnerability_factors)
        _check_declared(ordinary, vulnerability_other_text)
        status = CaseStatus.REGISTERED if eligibility.eligible else CaseStatus.REJECTED
        reason = "; ".join(eligibility.reasons) or None
        case = cls(
            id=case_id, programme_id=programme_id, person=person,
            assigned_caseworker_id=actor_id, status=status,
            vulnerability_factors=ordinary, sensitive=SensitiveDetails(sensitive),
            other_vulnerability=(OtherFactor(vulnerability_other_text.strip())
                                 if vulnerability_other_text else None),
            eligibility_reasons=tuple(eligibility.reasons),
            history=[Transition(None, status, actor_id, actor_role, at, reason)])
        case._record(CASE_REGISTERED, at, return_country=person.return_country)
        return case

    def transition(self, to: str, *, actor_id: str, actor_role: str, at: datetime,
                   reason: str | None = None,
                   data: Mapping[str, Any] | None = None) -> Transition:
        """Move the case along the return journey (see journey.apply_transition for the
        errors) and record the matching event."""
        result = apply_transition(self.status, to, actor_id=actor_id,
                                  actor_role=actor_role, at=at, reason=reason, data=data,
                                  booked_travel_date=self.booked_travel_date)
        self.status = result.transition.to_status
        self.history.append(result.transition)
        published = {k: result.transition.data[k] for k in _PUBLISHED_TRANSITION_DATA
                     if k in result.transition.data}
        self._record(result.event_name, at,
                     from_status=result.transition.from_status, **published)
        return result.transition

    @property
    def booked_travel_date(self) -> date | None:
        bookings = [t for t in self.history if t.to_status is CaseStatus.TRAVEL_BOOKED]
        return bookings[-1].data["travel_date"] if bookings else None

    @property
    def is_protected(self) -> bool:
        """Whether the case holds sensitive details — what other roles may know of them."""
        return bool(self.sensitive.factors)

    def may_view_sensitive(self, actor_id: str, actor_role: str) -> bool:
        return actor_role == SUPERVISOR or (
            actor_role == CASEWORKER and actor_id == self.assigned_caseworker_id)

    def counted_vulnerability_factors(self, on: date) -> frozenset[VulnerabilityFactor]:
        """The factors that apply on `on`: declared ones, sensitive ones, those derived
        from the date of birth, and 'other' only once a supervisor approved it."""
        declared = self.vulnerability_factors - {VulnerabilityFactor.OTHER}
        approved_other = ({VulnerabilityFactor.OTHER}
                          if self.other_vulnerability and self.other_vulnerability.counts
                          else set())
        return (declared | self.sensitive.factors | approved_other
                | derived_factors(self.person.date_of_birth, on))

    def vulnerability_level(self, on: date) -> VulnerabilityLevel:
        return vulnerability_level(self.counted_vulnerability_factors(on))

    def approve_other_vulnerability(self, actor_id: str, actor_role: str,
                                    at: datetime) -> None:
        self.other_vulnerability = self._pending_other().approve(actor_id, actor_role, at)

    def decline_other_vulnerability(self, actor_id: str, actor_role: str,
                                    at: datetime) -> None:
        self.other_vulnerability = self._pending_other().decline(actor_id, actor_role, at)

    def _pending_other(self) -> OtherFactor:
        if self.other_vulnerability is None:
            raise NothingToDecide("the case has no 'other' vulnerability factor")
        return self.other_vulnerability

    def _record(self, name: str, at: datetime, **data: Any) -> None:
        self.events.append(CaseEvent(
            name=name, case_id=self.id, programme_id=self.programme_id, occurred_at=at,
            data={"status": self.status,
                  "vulnerability_level": self.vulnerability_level(at.date()),
                  **{k: v for k, v in data.items() if v is not None}}))

    def __repr__(self) -> str:
        # Identifiers only: a case's repr ends up in logs and tracebacks.
        return (f"Case(id={self.id!r}, programme_id={self.programme_id!r}, "
                f"status={self.status})")


def _check_declared(ordinary: frozenset[VulnerabilityFactor], other_text: str | None) -> None:
    errors = {}
    derived = sorted(ordinary & DERIVED_FACTORS)
    if derived:
        errors["vulnerability_factors"] = [
            f"{', '.join(derived)} is derived from the date of birth and cannot be declared"]
    has_text = bool((other_text or "").strip())
    if (VulnerabilityFactor.OTHER in ordinary) != has_text:
        errors["vulnerability_other_text"] = [
            "is required when, and only when, 'other' is among the vulnerability factors"]
    if errors:
        raise InvalidVulnerabilityFactors(errors)
