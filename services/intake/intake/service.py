"""Intake: programmes, registration and the return journey (thin nameko entrypoints)."""
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from intake import programmes, registration


class IntakeService(HealthCheck):
    name = "intake"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()

    @rpc
    def create_programme(self, payload: dict) -> dict:
        with self.db.unit_of_work() as uow:
            created = programmes.create_programme(uow, payload)
            uow.commit()
        return created

    @rpc
    def get_programme(self, programme_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return programmes.get_programme(uow.session, programme_id)

    @rpc
    def list_programmes(self) -> list:
        with self.db.unit_of_work() as uow:
            return programmes.list_programmes(uow.session)

    @rpc
    def register_case(self, payload: dict) -> dict:
        with self.db.unit_of_work() as uow:
            created = registration.register_case(uow, payload, self.caller)
            uow.commit()
        return created

    @rpc
    def get_case(self, case_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            return registration.get_case(uow.session, case_id)
