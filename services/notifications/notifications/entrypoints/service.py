"""Notifications: tells staff and beneficiaries what they need to know (thin entrypoints).

Every event it consumes becomes notices through `domain.notices`; each event is handled once
(inbox), however often it is delivered. Staff notices are addressed to a role; messages to a
beneficiary are queued by case id until the sending work resolves their consented channel.
"""
from __future__ import annotations

from nameko.rpc import rpc

from reintegra.messaging.dependencies import Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from notifications.service_layer import handlers, views


class NotificationsService(HealthCheck):
    name = "notifications"

    db = Database()
    metrics = EntrypointMetrics()

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        def record(uow, data):
            handlers.record_case(uow, data)
            handlers.announce(uow, event.event_type, event.event_id, data)
        self.db.handle_once(event, record)

    @reliable_event_handler("plans", "plan_approved")
    def on_plan_approved(self, event):
        self._announce(event)

    @reliable_event_handler("plans", "plan_revised")
    def on_plan_revised(self, event):
        self._announce(event)

    @reliable_event_handler("plans", "plan_cancelled")
    def on_plan_cancelled(self, event):
        self._announce(event)

    @reliable_event_handler("payments", "instalment_due")
    def on_instalment_due(self, event):
        self._announce(event)

    @reliable_event_handler("payments", "payout_paid")
    def on_payout_paid(self, event):
        self._announce(event)

    @reliable_event_handler("payments", "payout_failed")
    def on_payout_failed(self, event):
        self._announce(event)

    def _announce(self, event) -> None:
        self.db.handle_once(event, lambda uow, data: handlers.announce(
            uow, event.event_type, event.event_id, data))

    @rpc
    def notices_for_case(self, case_id: str) -> dict:
        """Staff notices and beneficiary messages about one case, oldest first."""
        with self.db.unit_of_work() as uow:
            return views.notices_for_case(uow.session, case_id)

    @rpc
    def notices_for_role(self, role: str, limit=None) -> dict:
        """The latest staff notices addressed to a role, newest first."""
        with self.db.unit_of_work() as uow:
            return views.notices_for_role(uow.session, role, limit)

    @rpc
    def staff_notices_for_case(self, case_id: str) -> list:
        """Only the kinds of a case's staff notices, oldest first (a quick check)."""
        with self.db.unit_of_work() as uow:
            return views.staff_notice_kinds_for_case(uow.session, case_id)
