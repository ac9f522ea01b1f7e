"""Events the case aggregate records for the outbox to publish.

Events leave the service, so they carry ids, statuses, codes and dates only. The fields an
event may carry are listed here, and an event refuses any other: a person's name, a
vulnerability factor or a free-text reason cannot reach a message by accident.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

CASE_REGISTERED = "case_registered"

EVENT_DATA_FIELDS = frozenset({
    "status", "from_status", "vulnerability_level", "return_country",
    "travel_date", "destination_airport", "arrival_date"})


@dataclass(frozen=True)
class CaseEvent:
    name: str
    case_id: str
    programme_id: str
    occurred_at: datetime
    data: Mapping[str, str | date] = field(default_factory=dict)

    def __post_init__(self):
        unexpected = sorted(set(self.data) - EVENT_DATA_FIELDS)
        if unexpected:
            raise ValueError(f"an event may not carry {', '.join(unexpected)}")
        if not all(isinstance(v, (str, date)) for v in self.data.values()):
            raise ValueError("event data values must be strings or dates")

    def to_message(self) -> dict[str, Any]:
        """The JSON-safe body to publish (the event name travels as the message type)."""
        return {"case_id": self.case_id, "programme_id": self.programme_id,
                "occurred_at": self.occurred_at.isoformat(),
                **{key: _json_safe(value) for key, value in self.data.items()}}


def _json_safe(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
