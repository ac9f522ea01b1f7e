"""The payout engine's long-lived parts: the configured routes and the runner's settings."""
from __future__ import annotations

from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from payments.adapters.routes.registry import build_routes
from payments.service_layer.payout_route import PayoutRoute
from payments.service_layer.payout_runner import RunnerSettings


@dataclass(frozen=True)
class PayoutEngine:
    routes: dict[str, PayoutRoute]
    settings: RunnerSettings


class PayoutEngineProvider(DependencyProvider):
    """Builds the routes named in PAYOUT_ROUTES once (HTTP sessions are kept alive)."""

    def setup(self):
        self.engine = PayoutEngine(build_routes(self.container.config),
                                   RunnerSettings.from_config(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.engine
