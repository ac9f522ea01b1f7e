"""Fixtures of notifications' service tests: a running container and other services' events."""
import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts import new_envelope

from notifications.entrypoints.service import NotificationsService


@pytest.fixture
def service(started_service):
    return started_service(NotificationsService, "notifications")


@pytest.fixture
def call(service):
    """Call one of the service's RPC entrypoints, as the gateway would."""
    def invoke(name: str, *args):
        with entrypoint_hook(service, name) as entrypoint:
            return entrypoint(*args)
    return invoke


@pytest.fixture
def event():
    """Another service's event, enveloped as its outbox relay would."""
    def make(source: str, event_type: str, data: dict) -> dict:
        return new_envelope(source, event_type, data).to_dict()
    return make
