"""The `health` RPC every service answers; the gateway's /healthz asks each of them."""
from __future__ import annotations

from nameko.rpc import rpc


class HealthCheck:
    """Mixin for a service class that has a `db` (Database) dependency."""

    @rpc
    def health(self) -> dict:
        return {"service": self.name, "status": "ok", "database": self.db.ping(),
                "outbox_backlog": self.db.outbox_backlog()}
