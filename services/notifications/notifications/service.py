"""Notifications: tells beneficiaries and staff what they need to know (thin entrypoints)."""
from datetime import datetime, timezone

import sqlalchemy as sa
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from notifications.tables import known_cases, staff_notices


def note_new_case(uow, data: dict, event_id: str) -> None:
    uow.session.execute(known_cases.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"]))
    uow.session.execute(staff_notices.insert().values(
        event_id=event_id, kind="case_registered", case_id=data["case_id"],
        created_at=datetime.now(timezone.utc)))


class NotificationsService(HealthCheck):
    name = "notifications"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, lambda uow, data: note_new_case(uow, data, event.event_id))

    @rpc
    def staff_notices_for_case(self, case_id: str) -> list:
        with self.db.unit_of_work() as uow:
            rows = uow.session.execute(sa.select(staff_notices.c.kind)
                                       .where(staff_notices.c.case_id == case_id)).all()
            return [r.kind for r in rows]
