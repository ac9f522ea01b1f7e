"""Finance decisions on failed payouts (re-route, return), the worklist, the budget report
by country and route, and the progress gauge of running batches.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""
from nameko.rpc import rpc
from nameko.timer import timer

from payments import metrics as payment_metrics
from payments.service_layer import batch_progress, budget, payout_decisions


class PayoutDecisionEntrypoints:
    @rpc
    def list_payouts(self, status: str | None = None, programme: str | None = None,
                     limit=None, cursor: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            return payout_decisions.list_payouts(uow.session, status, programme, limit, cursor,
                                                 self._role())

    @rpc
    def get_payout(self, payout_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return payout_decisions.payout_view(uow.session, payout_id, self._role())

    @rpc
    def reroute_payout(self, payout_id: str, body: dict,
                       idempotency_key: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            answer = payout_decisions.reroute(uow, payout_id, body or {}, self._actor_id(),
                                              idempotency_key, set(self.engine.routes))
            uow.commit()
        return answer

    @rpc
    def return_payout(self, payout_id: str, body: dict,
                      idempotency_key: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            answer = payout_decisions.return_payout(uow, payout_id, body or {},
                                                    self._actor_id(), idempotency_key)
            uow.commit()
        self._report_available(answer["programme_id"])
        return answer

    @rpc
    def get_budget_report(self, programme_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return budget.budget_report(uow.session, programme_id)

    def _role(self) -> str | None:
        return (self.caller or {}).get("role")

    @timer(interval=1.0)
    def refresh_batch_progress(self):
        """Keeps the batch gauge current while batches run, and completes ended batches."""
        with self.db.unit_of_work() as uow:
            counts = batch_progress.refresh_running(uow)
            uow.commit()
        for batch_id, states in counts.items():
            for state, count in states.items():
                payment_metrics.BATCH_PAYOUTS.labels(batch_id, state).set(count)
