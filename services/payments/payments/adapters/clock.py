"""Time as the payments tables store it: UTC, always aware."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=timezone.utc)
