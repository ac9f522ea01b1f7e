"""What payments builds once from its config: the payout engine (the configured routes and
the runner's settings), and the other settings its entrypoints read."""
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


def payout_engine(config: dict) -> PayoutEngine:
    """The routes named in PAYOUT_ROUTES (their HTTP sessions kept alive) and the runner's
    settings."""
    return PayoutEngine(build_routes(config), RunnerSettings.from_config(config))


class FromConfig(DependencyProvider):
    """A value built once, at start-up, from the service's config by `build(config)`."""

    def __init__(self, build):
        self.build = build
        self.value = None

    def setup(self):
        self.value = self.build(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.value
