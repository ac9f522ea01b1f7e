"""Prometheus metrics every service exposes, and the provider that records them.

Metric objects live in the process-wide default registry (defined once here, by name), and
labels carry the service so several containers in one test process never collide. Labels
never carry personal data: entrypoint names, queue names, outcomes.
"""
from __future__ import annotations

import logging
import time

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

ENTRYPOINT_LATENCY = Histogram(
    "reintegra_entrypoint_duration_seconds", "Time spent in an entrypoint",
    ["service", "entrypoint"])
ENTRYPOINT_ERRORS = Counter(
    "reintegra_entrypoint_errors_total", "Entrypoint calls that raised",
    ["service", "entrypoint", "error"])
OUTBOX_BACKLOG = Gauge(
    "reintegra_outbox_backlog", "Events committed but not yet confirmed by the broker",
    ["service"])
MESSAGES_RETRIED = Counter(
    "reintegra_messages_retried_total", "Consumed messages scheduled for another attempt",
    ["service", "queue"])
MESSAGES_DEAD_LETTERED = Counter(
    "reintegra_messages_dead_lettered_total", "Consumed messages moved to the dead-letter queue",
    ["service", "queue", "kind"])

_servers: dict[int, object] = {}


def serve_metrics(port: int, address: str = "127.0.0.1") -> None:
    """Serve /metrics on `port` (0: not at all), once per port in this process."""
    if port and port not in _servers:
        _servers[port] = start_http_server(port, addr=address)
        log.info("metrics served", extra={"port": port})


class EntrypointMetrics(DependencyProvider):
    """Times every entrypoint, counts its errors, and serves /metrics on METRICS_PORT."""

    def setup(self):
        config = self.container.config
        serve_metrics(int(config.get("METRICS_PORT") or 0),
                      config.get("METRICS_ADDRESS", "127.0.0.1"))

    def worker_setup(self, worker_ctx):
        worker_ctx.data.setdefault("_metrics_started", time.perf_counter())

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        service, entrypoint = self.container.service_name, worker_ctx.entrypoint.method_name
        started = worker_ctx.data.get("_metrics_started")
        if started is not None:
            ENTRYPOINT_LATENCY.labels(service, entrypoint).observe(time.perf_counter() - started)
        if exc_info is not None:
            ENTRYPOINT_ERRORS.labels(service, entrypoint, exc_info[0].__name__).inc()

    def get_dependency(self, worker_ctx):
        return None
