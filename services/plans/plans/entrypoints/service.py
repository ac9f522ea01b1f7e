"""Plans: applications, ranking, individual plans and their approval (thin entrypoints)."""
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Caller, Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from plans.service_layer import handlers


class PlansService(HealthCheck):
    name = "plans"

    db = Database()
    caller = Caller()
    metrics = EntrypointMetrics()

    @reliable_event_handler("intake", "programme_created")
    def on_programme_created(self, event):
        self.db.handle_once(event, handlers.record_programme)

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        self.db.handle_once(event, handlers.record_case)

    @rpc
    def get_case_facts(self, case_id: str):
        with self.db.unit_of_work() as uow:
            return handlers.case_facts_of(uow.session, case_id)
