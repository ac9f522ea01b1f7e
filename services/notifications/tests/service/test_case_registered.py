"""Notifications tells staff about a new case once, however often the event arrives."""
import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts import new_envelope
from notifications.service import NotificationsService

CASE = {"case_id": "case-1", "programme_id": "p-1", "status": "registered", "return_country": "GN",
        "vulnerability_level": "low", "intends_to_apply": True, "registered_at": "2026-11-01T10:00:00+00:00"}


@pytest.fixture
def service(container_factory, service_config, migrated):
    migrated("notifications", service_config["DATABASE_URL"])
    container = container_factory(NotificationsService, service_config)
    container.start()
    return container


def test_a_registered_case_delivered_three_times_makes_one_staff_notice(service, publish_event, eventually):
    event = new_envelope("intake", "case_registered", CASE).to_dict()
    for _ in range(3):
        publish_event(event)

    def notices():
        with entrypoint_hook(service, "staff_notices_for_case") as lookup:
            return lookup("case-1")
    eventually(notices)
    assert notices() == ["case_registered"]
