"""Payout methods, payees of a case and the authorisations of trusted third parties.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db` and
`caller` dependencies and `_actor_id()`.
"""
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from payments.service_layer import payees, payout_method


class PayoutRulesProvider(DependencyProvider):
    """The programme's route configuration, read (and checked) once at start-up."""

    def setup(self):
        self.rules = payout_method.PayoutRules.from_config(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.rules


class PayeeEntrypoints:
    payout_rules = PayoutRulesProvider()

    @rpc
    def set_payout_method(self, case_id: str, body: dict) -> dict:
        with self.db.unit_of_work() as uow:
            answer = payout_method.set_payout_method(uow, case_id, body, self._actor_id(),
                                                     self.payout_rules)
            uow.commit()
        return answer

    @rpc
    def record_payee(self, case_id: str, body: dict) -> dict:
        with self.db.unit_of_work() as uow:
            answer = payees.record_payee(uow, case_id, body, self._actor_id(), self.payout_rules)
            uow.commit()
        return answer

    @rpc
    def case_payees(self, case_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return payees.case_payees(uow.session, case_id)

    @rpc
    def approve_payee_authorisation(self, payee_id: str) -> dict:
        self._actor_id()
        with self.db.unit_of_work() as uow:
            answer = payees.approve_authorisation(uow, payee_id, self.caller)
            uow.commit()
        return answer

    @rpc
    def revoke_payee_authorisation(self, payee_id: str, body: dict) -> dict:
        self._actor_id()
        with self.db.unit_of_work() as uow:
            answer = payees.revoke_authorisation(uow, payee_id, self.caller, body)
            uow.commit()
        return answer
