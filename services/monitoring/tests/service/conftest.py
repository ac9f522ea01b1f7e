"""Fixtures of monitoring's service tests: a running container."""
import pytest

from monitoring.entrypoints.service import MonitoringService


@pytest.fixture
def service(started_service):
    return started_service(MonitoringService, "monitoring")
