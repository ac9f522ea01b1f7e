"""Notifications tells staff about a new case once, however often the event arrives."""
import pytest
from nameko.testing.services import entrypoint_hook

from notifications.service import NotificationsService


@pytest.fixture
def service(started_service):
    return started_service(NotificationsService, "notifications")


def test_a_registered_case_delivered_three_times_makes_one_staff_notice(
        service, publish_event, case_registered_event, eventually):
    for _ in range(3):
        publish_event(case_registered_event)

    def notices():
        with entrypoint_hook(service, "staff_notices_for_case") as lookup:
            return lookup("case-1")
    eventually(notices)
    assert notices() == ["case_registered"]
