"""Monitoring: the follow-up after return (to come) and, for now, the operations view of each
programme built from payments' events (thin entrypoints).

Every event is handled once (inbox); after it, the touched programme's gauges are set again
from the read model.
"""
from __future__ import annotations

from nameko.rpc import rpc

from reintegra.messaging.dependencies import Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from monitoring.adapters import metrics
from monitoring.domain.operations import FAILED, PAID, RELEASED, RELEASED_BUDGET, RESERVED
from monitoring.service_layer import handlers, views


class MonitoringService(HealthCheck):
    name = "monitoring"

    db = Database()
    metrics = EntrypointMetrics()

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, handlers.follow_case)

    # payments' events: the operations view --------------------------------------------

    @reliable_event_handler("payments", "budget_reserved")
    def on_budget_reserved(self, event):
        self._record(event, lambda uow, data: handlers.record_budget_movement(
            uow, event.event_id, RESERVED, data))

    @reliable_event_handler("payments", "budget_released")
    def on_budget_released(self, event):
        self._record(event, lambda uow, data: handlers.record_budget_movement(
            uow, event.event_id, RELEASED_BUDGET, data))

    @reliable_event_handler("payments", "instalment_due")
    def on_instalment_due(self, event):
        self._record(event, handlers.record_due_instalment)

    @reliable_event_handler("payments", "payout_released")
    def on_payout_released(self, event):
        self._record(event, lambda uow, data: handlers.record_payout(uow, RELEASED, data))

    @reliable_event_handler("payments", "payout_paid")
    def on_payout_paid(self, event):
        self._record(event, lambda uow, data: handlers.record_payout(uow, PAID, data))

    @reliable_event_handler("payments", "payout_failed")
    def on_payout_failed(self, event):
        self._record(event, lambda uow, data: handlers.record_payout(uow, FAILED, data))

    def _record(self, event, handler) -> None:
        touched = []
        self.db.handle_once(event, lambda uow, data: touched.append(handler(uow, data)))
        for programme_id in touched:
            metrics.report(self.operations_summary(programme_id))

    # questions ----------------------------------------------------------------------------

    @rpc
    def operations_summary(self, programme_id: str) -> dict:
        """Payouts by route and status, amount paid per currency, budget reserved and
        released, instalments awaiting payment — for one programme."""
        with self.db.unit_of_work() as uow:
            return views.summary_of(uow.session, programme_id)

    @rpc
    def get_followed_case(self, case_id: str):
        with self.db.unit_of_work() as uow:
            return views.followed_case(uow.session, case_id)
