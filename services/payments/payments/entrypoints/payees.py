"""Payout methods, payees of a case and the authorisations of trusted third parties.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db` and
`caller` dependencies and `_actor_id()`.
"""
from nameko.rpc import rpc

from payments.entrypoints.dependencies import FromConfig
from payments.service_layer import payees, payout_method


class PayeeEntrypoints:
    # The programme's route configuration, read (and checked) once at start-up.
    payout_rules = FromConfig(payout_method.PayoutRules.from_config)

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
