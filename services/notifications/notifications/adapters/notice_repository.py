"""Stores and lists what notifications owes people (SQLAlchemy Core on the service's tables)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from notifications.adapters.tables import beneficiary_messages, staff_notices
from notifications.domain.notices import Announcement


class NoticeRepository:
    def __init__(self, session):
        self.session = session

    def add(self, announcement: Announcement, event_id: str, at: datetime) -> None:
        """Store one event's notices and messages (the inbox has made sure it is the first time)."""
        if announcement.staff:
            self.session.execute(staff_notices.insert(), [
                dict(event_id=event_id, kind=n.kind, audience=n.audience, case_id=n.case_id,
                     text=n.text, created_at=at) for n in announcement.staff])
        if announcement.beneficiary:
            self.session.execute(beneficiary_messages.insert(), [
                dict(event_id=event_id, kind=m.kind, case_id=m.case_id, text=m.text,
                     status=m.status, channel=m.channel, created_at=at)
                for m in announcement.beneficiary])

    def staff_notices_for_case(self, case_id: str) -> list[dict]:
        return self._staff(staff_notices.c.case_id == case_id)

    def staff_notices_for_role(self, role: str, limit: int) -> list[dict]:
        return self._staff(staff_notices.c.audience == role, newest_first=True, limit=limit)

    def beneficiary_messages_for_case(self, case_id: str) -> list[dict]:
        rows = self.session.execute(
            sa.select(beneficiary_messages).where(beneficiary_messages.c.case_id == case_id)
            .order_by(beneficiary_messages.c.id)).all()
        return [_plain(row, "event_id") for row in rows]

    def _staff(self, condition, newest_first: bool = False, limit: int | None = None) -> list[dict]:
        order = staff_notices.c.id.desc() if newest_first else staff_notices.c.id
        rows = self.session.execute(sa.select(staff_notices).where(condition)
                                    .order_by(order).limit(limit)).all()
        return [_plain(row, "event_id") for row in rows]


def _plain(row, *hidden: str) -> dict:
    data = {key: value for key, value in row._mapping.items() if key not in hidden}
    data["created_at"] = data["created_at"].isoformat()
    return data
