"""Notifications' reactions to other services' events; each runs once per event (inbox)."""
from __future__ import annotations

from datetime import datetime, timezone

from notifications.adapters.notice_repository import NoticeRepository
from notifications.adapters.tables import known_cases
from notifications.domain.notices import announcement_for


def record_case(uow, data: dict) -> None:
    uow.session.execute(known_cases.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"]))


def announce(uow, event_type: str, event_id: str, data: dict) -> None:
    """Store what the event makes us tell staff and the beneficiary."""
    NoticeRepository(uow.session).add(announcement_for(event_type, data), event_id,
                                      datetime.now(timezone.utc))
