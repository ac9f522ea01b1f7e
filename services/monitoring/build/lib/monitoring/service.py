"""Monitoring: follow-up after return (thin entrypoints)."""
from datetime import datetime

import sqlalchemy as sa
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from monitoring.tables import followed_cases


def follow_case(uow, data: dict) -> None:
    uow.session.execute(followed_cases.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"],
        registered_at=datetime.fromisoformat(data["registered_at"])))


class MonitoringService(HealthCheck):
    name = "monitoring"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, follow_case)

    @rpc
    def get_followed_case(self, case_id: str):
        with self.db.unit_of_work() as uow:
            row = uow.session.execute(sa.select(followed_cases)
                                      .where(followed_cases.c.case_id == case_id)).first()
            return {**row._mapping, "registered_at": row.registered_at.isoformat()} if row else None
