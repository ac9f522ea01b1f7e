"""The run target `monitoring.service:MonitoringService` (infra/local/services.sh,
tests/conftest.py, docker-compose.yml); the service itself lives in `entrypoints`."""
from monitoring.entrypoints.service import MonitoringService

__all__ = ["MonitoringService"]
