"""Intake: programmes, registration, duplicates, the return journey, search and audit.

Thin nameko entrypoints: each delegates to one service-layer function, which validates,
runs the domain rules in a unit of work and returns plain data. Domain refusals reach the
caller as API errors (403, 409, 422) through `as_api_errors`.
"""
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from intake.adapters.crypto import SensitiveData
from intake.service_layer import audit, case_view, duplicates, journey, programmes, registration, search
from intake.service_layer.errors import as_api_errors


class IntakeService(HealthCheck):
    name = "intake"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()
    sensitive = SensitiveData()

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
    @as_api_errors
    def register_case(self, payload: dict, request_id: str | None = None) -> dict:
        return registration.register_case(self.db, self.sensitive, payload, request_id)

    @rpc
    @as_api_errors
    def get_case(self, case_id: str) -> dict:
        return case_view.get_case(self.db, self.sensitive, case_id)

    @rpc
    @as_api_errors
    def search_cases(self, q=None, status=None, country=None, programme=None, limit=None,
                     cursor=None) -> dict:
        return search.search_cases(self.db, q, status, country, programme, limit, cursor)

    @rpc
    @as_api_errors
    def transition_case(self, case_id: str, request: dict, request_id: str | None = None) -> dict:
        return journey.transition_case(self.db, self.sensitive, case_id, request, request_id)

    @rpc
    @as_api_errors
    def review_duplicate(self, case_id: str, other_case_id: str, decision: str) -> dict:
        return duplicates.review_duplicate(self.db, self.sensitive, case_id, other_case_id,
                                           decision)

    @rpc
    @as_api_errors
    def assign_caseworker(self, case_id: str, caseworker_id: str) -> dict:
        return journey.assign_caseworker(self.db, self.sensitive, case_id, caseworker_id)

    @rpc
    @as_api_errors
    def decide_other_vulnerability(self, case_id: str, decision: str) -> dict:
        return journey.decide_other_vulnerability(self.db, self.sensitive, case_id, decision)

    @rpc
    @as_api_errors
    def audit_trail(self, entity_id: str | None = None, limit: int | None = None,
                    cursor: str | None = None) -> dict:
        return audit.audit_trail(self.db, entity_id, limit, cursor)
