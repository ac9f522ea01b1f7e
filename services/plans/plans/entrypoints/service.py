"""Plans: applications, ranking, individual plans and their approval (thin entrypoints).

Each RPC checks the request's shape, names the caller, runs one service-layer function and
answers; domain refusals become ApiErrors (`api_errors`) that the gateway maps to HTTP.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from plans.adapters import metrics
from plans.adapters.budget import PaymentsBudget
from plans.domain.plan_events import PlanApproved
from plans.entrypoints import requests
from plans.entrypoints.errors import api_errors
from plans.entrypoints.timers import configured_timer
from plans.service_layer import applications, approval, handlers, plans
from plans.service_layer.actors import actor_from
from plans.service_layer.releases import send_owed_releases

log = logging.getLogger(__name__)


class InjectedCrash(RuntimeError):
    """Raised where config FAULT_INJECTION asks: lets a test prove a crash is survived."""


class PlansService(HealthCheck):
    name = "plans"

    db = Database()
    caller = Caller()
    config = Config()
    metrics = EntrypointMetrics()
    payments = RpcProxy("payments")

    # intake's events ------------------------------------------------------------------

    @reliable_event_handler("intake", "programme_created")
    def on_programme_created(self, event):
        self.db.handle_once(event, handlers.record_programme)

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, handlers.record_case)

    @reliable_event_handler("intake", "case_counselled")
    def on_case_counselled(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_return_approved")
    def on_case_return_approved(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_travel_booked")
    def on_case_travel_booked(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_departed")
    def on_case_departed(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_arrived")
    def on_case_arrived(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_closed")
    def on_case_closed(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_rejected")
    def on_case_rejected(self, event):
        self.db.handle_once(event, handlers.record_case_status)

    @reliable_event_handler("intake", "case_withdrawn")
    def on_case_withdrawn(self, event):
        self.db.handle_once(event, handlers.withdraw_case)
        self._after_budget_change([])

    # applications and ranking -----------------------------------------------------------

    @rpc
    def get_case_facts(self, case_id: str):
        with self.db.unit_of_work() as uow:
            return handlers.case_facts_of(uow.session, case_id)

    @rpc
    @api_errors
    def submit_application(self, case_id: str, body: dict) -> dict:
        request = requests.application(body)
        with self.db.unit_of_work() as uow:
            created = applications.submit_application(uow, case_id, request,
                                                      actor_from(self.caller), _now())
            uow.commit()
            metrics.refresh(uow.session)
        return created

    @rpc
    @api_errors
    def get_application(self, case_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return applications.application_of_case(uow.session, case_id)

    @rpc
    @api_errors
    def rank_applications(self, programme_id: str) -> dict:
        available = PaymentsBudget(self.payments).available(programme_id)
        with self.db.unit_of_work() as uow:
            return applications.ranking(uow.session, programme_id, available)

    @rpc
    @api_errors
    def get_scoring_weights(self, programme_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return applications.current_weights(uow.session, programme_id)

    @rpc
    @api_errors
    def set_scoring_weights(self, programme_id: str, body: dict) -> dict:
        request = requests.checked(requests.WEIGHTS, body)
        with self.db.unit_of_work() as uow:
            created = applications.set_weights(uow, programme_id, request["weights"],
                                               request.get("version"),
                                               actor_from(self.caller), _now())
            uow.commit()
        return created

    # plans ------------------------------------------------------------------------------

    @rpc
    @api_errors
    def draft_plan(self, case_id: str, body: dict) -> dict:
        lines = requests.plan_lines(requests.checked(requests.NEW_PLAN, body))
        with self.db.unit_of_work() as uow:
            created = plans.draft_plan(uow, case_id, lines, actor_from(self.caller), _now())
            uow.commit()
        return created

    @rpc
    @api_errors
    def get_plan(self, plan_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return plans.get_plan(uow.session, plan_id)

    @rpc
    @api_errors
    def plans_of_case(self, case_id: str) -> list:
        with self.db.unit_of_work() as uow:
            return plans.plans_of_case(uow.session, case_id)

    @rpc
    @api_errors
    def submit_plan(self, plan_id: str, body: dict | None = None) -> dict:
        request = requests.checked(requests.VERSION_ACTION, body)
        with self.db.unit_of_work() as uow:
            submitted = plans.submit_plan(uow, plan_id, request.get("version"),
                                          actor_from(self.caller), _now())
            uow.commit()
        return submitted

    @rpc
    @api_errors
    def approve_plan(self, plan_id: str, body: dict | None = None) -> dict:
        request = requests.checked(requests.VERSION_ACTION, body)
        approved, events = approval.approve_plan(
            self.db, PaymentsBudget(self.payments), plan_id, request.get("version"),
            actor_from(self.caller), after_reservation=self._fault_point("after_reservation"))
        self._after_budget_change(events)
        return approved

    @rpc
    @api_errors
    def reject_plan(self, plan_id: str, body: dict) -> dict:
        request = requests.checked(requests.REJECTION, body)
        with self.db.unit_of_work() as uow:
            rejected = plans.reject_plan(uow, plan_id, request.get("version"),
                                         request["reason"], actor_from(self.caller), _now())
            uow.commit()
        return rejected

    @rpc
    @api_errors
    def revise_plan(self, plan_id: str, body: dict) -> dict:
        request = requests.checked(requests.REVISION, body)
        with self.db.unit_of_work() as uow:
            revised, events = plans.revise_plan(uow, plan_id, requests.plan_lines(request),
                                                request["reason"], actor_from(self.caller),
                                                _now())
            uow.commit()
        self._after_budget_change(events)
        return revised

    # recovery ---------------------------------------------------------------------------

    @configured_timer("APPROVAL_RECOVERY_INTERVAL_SECONDS", 10)
    def recover(self):
        """Compensate approval attempts cut short, send releases still owed to payments."""
        pending_for = timedelta(seconds=float(
            self.config.get("APPROVAL_RECOVERY_AFTER_SECONDS", 60)))
        budget = PaymentsBudget(self.payments)
        for outcome in approval.recover_approvals(self.db, budget, pending_for):
            metrics.APPROVAL_RECOVERIES.labels(outcome).inc()
        send_owed_releases(self.db, budget)

    def _after_budget_change(self, events: list) -> None:
        approved = [e for e in events if isinstance(e, PlanApproved)]
        if approved:
            metrics.PLANS_APPROVED.inc(len(approved))
        try:
            send_owed_releases(self.db, PaymentsBudget(self.payments))
        except Exception:  # committed already: the timer sends what is still owed
            log.warning("owed budget releases not sent yet", exc_info=True)
        with self.db.unit_of_work() as uow:
            metrics.refresh(uow.session)

    def _fault_point(self, name: str):
        def checkpoint():
            if name in (self.config.get("FAULT_INJECTION") or ()):
                raise InjectedCrash(f"fault injected {name}")
        return checkpoint


def _now() -> datetime:
    return datetime.now(timezone.utc)
