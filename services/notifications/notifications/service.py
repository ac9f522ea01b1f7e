"""The run target `notifications.service:NotificationsService` (infra/local/services.sh,
tests/conftest.py, docker-compose.yml); the service itself lives in `entrypoints`."""
from notifications.entrypoints.service import NotificationsService

__all__ = ["NotificationsService"]
