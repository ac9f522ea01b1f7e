"""payments learns of new cases from intake's events, once each, on SQLite and PostgreSQL."""
import pytest
import sqlalchemy as sa
from nameko.testing.services import entrypoint_hook

from reintegra.contracts import new_envelope
from payments.entrypoints.service import PaymentsService

CASE = {"case_id": "case-1", "programme_id": "p-1", "status": "registered", "return_country": "GN",
        "vulnerability_level": "low", "intends_to_apply": True, "registered_at": "2026-11-01T10:00:00+00:00"}


@pytest.fixture
def service(container_factory, service_config, migrated):
    migrated("payments", service_config["DATABASE_URL"])
    container = container_factory(PaymentsService, service_config)
    container.start()
    return container


def test_a_registered_case_delivered_twice_is_recorded_once(service, publish_event, eventually):
    event = new_envelope("intake", "case_registered", CASE).to_dict()
    publish_event(event)
    publish_event(event)

    def recorded():
        with entrypoint_hook(service, "get_beneficiary_case") as lookup:
            return lookup("case-1")
    found = eventually(recorded)
    assert found["case_id"] == "case-1" and found["programme_id"] == "p-1"
    engine = sa.create_engine(service.config["DATABASE_URL"])
    with engine.connect() as conn:
        handled = conn.exec_driver_sql("SELECT count(*) FROM inbox").scalar_one()
    engine.dispose()
    assert handled == 1
