"""What plans knows about a case: only what intake's events told it.

Plans never reads intake's database; it keeps this small copy up to date from
`case_*` events and decides from it whether an application or a revision is possible.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class CaseStatus(str, Enum):
    REGISTERED = "registered"
    COUNSELLED = "counselled"
    RETURN_APPROVED = "return_approved"
    TRAVEL_BOOKED = "travel_booked"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


# Intake only moves a case forward along this line, so an event naming an earlier status
# can only be a late or redelivered message and must not move our copy back.
_LIFECYCLE = (CaseStatus.REGISTERED, CaseStatus.COUNSELLED, CaseStatus.RETURN_APPROVED,
              CaseStatus.TRAVEL_BOOKED, CaseStatus.DEPARTED, CaseStatus.ARRIVED,
              CaseStatus.CLOSED)
_FINAL = frozenset({CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.REJECTED})
# Support is applied for between return approval and closure; a withdrawn or
# rejected case never returns, so it has nothing to reintegrate into.
_OPEN_FOR_APPLICATION = frozenset({CaseStatus.RETURN_APPROVED, CaseStatus.TRAVEL_BOOKED,
                                   CaseStatus.DEPARTED, CaseStatus.ARRIVED})


class VulnerabilityLevel(str, Enum):
    """Intake's overall vulnerability assessment; only the level, never the factors,
    travels in events because the factors are sensitive."""
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def severity(self) -> int:
        return list(VulnerabilityLevel).index(self)


@dataclass
class CaseFacts:
    case_id: str
    programme_id: str
    status: CaseStatus
    vulnerability_level: VulnerabilityLevel = VulnerabilityLevel.NONE

    def record_status(self, status: CaseStatus) -> None:
        """Take a status from an event, ignoring ones that would move the case back."""
        if self.status in _FINAL or status == self.status:
            return
        if status in _FINAL or _position(status) > _position(self.status):
            self.status = status

    def record_vulnerability(self, level: VulnerabilityLevel) -> None:
        self.vulnerability_level = level

    @property
    def open_for_application(self) -> bool:
        return self.status in _OPEN_FOR_APPLICATION

    @property
    def is_arrived(self) -> bool:
        """Arrived and not yet closed: the only time a plan may be revised."""
        return self.status == CaseStatus.ARRIVED


def _position(status: CaseStatus) -> int:
    return _LIFECYCLE.index(status)
