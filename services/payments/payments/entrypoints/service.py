"""Payments: the budget ledger, instalments and exactly-once payouts (thin entrypoints)."""
from nameko.rpc import rpc
from nameko.timer import timer

from reintegra.contracts.errors import Forbidden

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from payments import metrics as payment_metrics
from payments.entrypoints.dependencies import FromConfig, payout_engine
from payments.entrypoints.exchange_rates import ExchangeRateEntrypoints
from payments.entrypoints.payees import PayeeEntrypoints
from payments.entrypoints.payout_decisions import PayoutDecisionEntrypoints
from payments.entrypoints.provider_events import ProviderEventEntrypoints
from payments.service_layer import batches, budget, handlers, instalments
from payments.service_layer.payout_runner import PayoutRunner, crash_point


class PaymentsService(PayeeEntrypoints, ExchangeRateEntrypoints, ProviderEventEntrypoints,
                      PayoutDecisionEntrypoints, HealthCheck):
    name = "payments"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()
    engine = FromConfig(payout_engine)

    @reliable_event_handler("intake", "programme_created")
    def on_programme_created(self, event):
        self.db.handle_once(event, handlers.record_programme)
        self._report_available(event.data["programme_id"])

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, handlers.record_case)

    # Instalments ------------------------------------------------------------------------

    @reliable_event_handler("plans", "plan_approved")
    def on_plan_approved(self, event):
        self.db.handle_once(event, instalments.plan_approved)

    @reliable_event_handler("plans", "plan_revised")
    def on_plan_revised(self, event):
        self.db.handle_once(event, instalments.plan_revised)

    @reliable_event_handler("plans", "plan_cancelled")
    def on_plan_cancelled(self, event):
        self.db.handle_once(event, instalments.plan_cancelled)
        self._report_available(event.data["programme_id"])

    @reliable_event_handler("intake", "case_arrived")
    def on_case_arrived(self, event):
        self.db.handle_once(event, instalments.case_arrived)

    @reliable_event_handler("intake", "case_withdrawn")
    def on_case_withdrawn(self, event):
        self.db.handle_once(event, instalments.case_withdrawn)
        self._report_available(event.data["programme_id"])

    @reliable_event_handler("payments", "expenses_justified")
    def on_expenses_justified(self, event):
        self.db.handle_once(event, instalments.expenses_justified)

    @reliable_event_handler("monitoring", "monitoring_contact_completed")
    def on_monitoring_contact_completed(self, event):
        self.db.handle_once(event, instalments.monitoring_contact_completed)

    @rpc
    def case_instalments(self, case_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return self._with_payout_terms(
                uow.session, instalments.case_instalments(uow.session, case_id))

    @rpc
    def get_beneficiary_case(self, case_id: str):
        with self.db.unit_of_work() as uow:
            return handlers.beneficiary_case(uow.session, case_id)

    # Budget (called by plans) -----------------------------------------------------------

    @rpc
    def reserve_budget(self, operation_id: str, programme_id: str, reference: str, amount: dict,
                       case_id: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            answer = budget.reserve_budget(uow, operation_id, programme_id, reference,
                                           budget.money_from(amount), case_id)
            uow.commit()
        self._report_available(programme_id)
        return answer

    @rpc
    def release_budget(self, operation_id: str, programme_id: str, reference: str,
                       amount: dict | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            answer = budget.release_budget(uow, operation_id, programme_id, reference,
                                           None if amount is None else budget.money_from(amount))
            uow.commit()
        self._report_available(programme_id)
        return answer

    @rpc
    def get_budget(self, programme_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return budget.get_budget(uow.session, programme_id)

    # Batches and payouts (payout methods and payees: entrypoints/payees.py) ---------------

    @rpc
    def prepare_payout_batch(self, body: dict, idempotency_key: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            answer = batches.prepare_batch(uow, body or {}, self._actor_id(), idempotency_key,
                                           set(self.engine.routes))
            uow.commit()
        return answer

    @rpc
    def release_payout_batch(self, batch_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            answer = batches.release_batch(uow, batch_id, self._actor_id(),
                                           self.engine.settings.chunk_size, self.payout_currencies)
            uow.commit()
        return answer

    @rpc
    def get_payout_batch(self, batch_id: str, payout_limit: int = 1000) -> dict:
        with self.db.unit_of_work() as uow:
            view = self._with_payout_terms(
                uow.session, batches.batch_view(uow.session, batch_id, payout_limit))
        for state, count in view["progress"].items():
            if state != "total":
                payment_metrics.BATCH_PAYOUTS.labels(batch_id, state).set(count)
        return view

    @rpc
    def list_payout_batches(self, status: str | None = None, programme: str | None = None,
                            limit=None, cursor: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            return batches.list_batches(uow.session, status, programme, limit, cursor)

    @reliable_event_handler("payments", batches.CHUNK_EVENT)
    def on_payout_chunk_released(self, event):
        # No inbox here on purpose: the payouts' own state machine makes a redelivered or
        # duplicated chunk harmless, and the crash tests rely on it.
        self._runner().run(event.data["payout_ids"])
        crash_point(self.engine.settings, "before_ack")

    @timer(interval=0.5)
    def follow_payouts(self):
        """Retries what is due a retry, picks up what a crash left claimed, polls providers."""
        runner = self._runner()
        runner.run(None)
        runner.poll()

    def _runner(self) -> PayoutRunner:
        return PayoutRunner(self.db, self.engine.routes, self.engine.settings)

    def _actor_id(self) -> str:
        if not self.caller:
            raise Forbidden("this needs an authenticated staff member")
        return self.caller["id"]

    def _report_available(self, programme_id: str) -> None:
        with self.db.unit_of_work() as uow:
            report = budget.get_budget(uow.session, programme_id)
        payment_metrics.BUDGET_AVAILABLE.labels(programme_id, report["currency"]).set(
            report["available"]["amount"])
