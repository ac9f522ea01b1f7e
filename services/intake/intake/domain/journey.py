"""The return journey: which states a case may move between, who may move it, and what a
move must carry.

registered → counselled → return_approved → travel_booked → departed → arrived → closed.
A person may withdraw at any point before departure (a "failed return"); an ineligible
case is rejected, either at registration or after counselling.

Who may move a case: caseworkers and supervisors may make every move except
`return_approved`, which only a supervisor may make. Approving the return is the moment
the programme coordinates with the immigration authority (SEF in Portugal) and commits
to buying a ticket, so it gets the same second pair of eyes as other commitments the
programme makes on a person's behalf.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

from .errors import IllegalTransition, InvalidTransitionData, NotPermitted
from .roles import CASEWORKER, SUPERVISOR


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    COUNSELLED = "counselled"
    RETURN_APPROVED = "return_approved"
    TRAVEL_BOOKED = "travel_booked"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


S = CaseStatus

ALLOWED_TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = MappingProxyType({
    S.REGISTERED: frozenset({S.COUNSELLED, S.WITHDRAWN, S.REJECTED}),
    S.COUNSELLED: frozenset({S.RETURN_APPROVED, S.WITHDRAWN, S.REJECTED}),
    S.RETURN_APPROVED: frozenset({S.TRAVEL_BOOKED, S.WITHDRAWN}),
    S.TRAVEL_BOOKED: frozenset({S.DEPARTED, S.WITHDRAWN}),
    S.DEPARTED: frozenset({S.ARRIVED}),
    S.ARRIVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.REJECTED: frozenset(),
})

EVENT_NAMES: Mapping[CaseStatus, str] = MappingProxyType({
    S.COUNSELLED: "case_counselled",
    S.RETURN_APPROVED: "case_return_approved",
    S.TRAVEL_BOOKED: "case_travel_booked",
    S.DEPARTED: "case_departed",
    S.ARRIVED: "case_arrived",
    S.CLOSED: "case_closed",
    S.WITHDRAWN: "case_withdrawn",
    S.REJECTED: "case_rejected",
})

_STAFF = frozenset({CASEWORKER, SUPERVISOR})
PERMITTED_ROLES: Mapping[CaseStatus, frozenset[str]] = MappingProxyType(
    {target: _STAFF for target in EVENT_NAMES} | {S.RETURN_APPROVED: frozenset({SUPERVISOR})})

REASON_REQUIRED = frozenset({S.WITHDRAWN, S.REJECTED})

# The data each target accepts; every listed field is required for that target.
TRANSITION_DATA_FIELDS: Mapping[CaseStatus, frozenset[str]] = MappingProxyType({
    S.TRAVEL_BOOKED: frozenset({"travel_date", "destination_airport"}),
    S.ARRIVED: frozenset({"arrival_date"}),
})

_IATA_AIRPORT = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Transition:
    """One recorded move of a case: who made it, when, why, with what data.

    `from_status` is None for the entry that records the registration itself.
    """
    from_status: CaseStatus | None
    to_status: CaseStatus
    actor_id: str
    actor_role: str
    at: datetime
    reason: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


class TransitionResult(NamedTuple):
    transition: Transition
    event_name: str


def allowed_targets(current: CaseStatus) -> list[str]:
    """The states a case in `current` may move to, sorted by name."""
    return sorted(ALLOWED_TRANSITIONS[CaseStatus(current)])


def apply_transition(current: CaseStatus, to: str, *, actor_id: str, actor_role: str,
                     at: datetime, reason: str | None = None,
                     data: Mapping[str, Any] | None = None,
                     booked_travel_date: date | None = None) -> TransitionResult:
    """Check a requested move and return its record and the event to announce.

    Raises IllegalTransition (not a legal move from `current`), NotPermitted (the role may
    not make it) or InvalidTransitionData (missing reason, missing or inconsistent data).
    `booked_travel_date` is the date recorded when travel was booked, if any: an arrival
    cannot be earlier.
    """
    target = _legal_target(CaseStatus(current), to)
    _check_role(target, actor_role)
    if at.tzinfo is None:
        raise ValueError("transition time must be timezone-aware")
    errors = _reason_errors(target, reason) | _data_errors(
        target, data or {}, at.date(), booked_travel_date)
    if errors:
        raise InvalidTransitionData(errors)
    transition = Transition(CaseStatus(current), target, actor_id, actor_role, at,
                            _clean_reason(reason), dict(data or {}))
    return TransitionResult(transition, EVENT_NAMES[target])


def _legal_target(current: CaseStatus, to: str) -> CaseStatus:
    allowed = ALLOWED_TRANSITIONS[current]
    if to not in allowed:
        raise IllegalTransition(current.value, str(to), allowed_targets(current))
    return CaseStatus(to)


def _check_role(target: CaseStatus, role: str) -> None:
    permitted = PERMITTED_ROLES[target]
    if role not in permitted:
        raise NotPermitted(f"move a case to {target}", role, sorted(permitted))


def _clean_reason(reason: str | None) -> str | None:
    return (reason or "").strip() or None


def _reason_errors(target: CaseStatus, reason: str | None) -> dict[str, list[str]]:
    if target in REASON_REQUIRED and _clean_reason(reason) is None:
        return {"reason": [f"a reason is required to move a case to {target}"]}
    return {}


def _data_errors(target: CaseStatus, data: Mapping[str, Any], today: date,
                 booked_travel_date: date | None) -> dict[str, list[str]]:
    expected = TRANSITION_DATA_FIELDS.get(target, frozenset())
    errors = {f"data.{name}": [f"is not expected when moving a case to {target}"]
              for name in sorted(set(data) - expected)}
    errors |= {f"data.{name}": [f"is required when moving a case to {target}"]
               for name in sorted(expected - set(data))}
    for name in sorted(expected & set(data)):
        reasons = _FIELD_CHECKS[name](data[name], today, booked_travel_date)
        if reasons:
            errors[f"data.{name}"] = reasons
    return errors


def _is_date(value: Any) -> bool:
    # datetime is a subclass of date; a timestamp where a calendar date belongs is a bug.
    return isinstance(value, date) and not isinstance(value, datetime)


def _travel_date_errors(value: Any, today: date, booked: date | None) -> list[str]:
    return [] if _is_date(value) else ["must be a date"]


def _airport_errors(value: Any, today: date, booked: date | None) -> list[str]:
    if isinstance(value, str) and _IATA_AIRPORT.fullmatch(value):
        return []
    return ["must be an IATA airport code: three capital letters, e.g. LIS"]


def _arrival_date_errors(value: Any, today: date, booked: date | None) -> list[str]:
    if not _is_date(value):
        return ["must be a date"]
    if value > today:
        return ["cannot be in the future"]
    if booked is not None and value < booked:
        return [f"cannot be before the booked travel date {booked.isoformat()}"]
    return []


_FIELD_CHECKS = {
    "travel_date": _travel_date_errors,
    "destination_airport": _airport_errors,
    "arrival_date": _arrival_date_errors,
}
