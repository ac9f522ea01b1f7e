"""Checks on what cannot run here: the compose file, and the OpenAPI document's honesty."""
import inspect
import json
import re
from pathlib import Path

import yaml
from nameko.web.handlers import HttpRequestHandler

from gateway.openapi import openapi_document
from gateway.service import GatewayService

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("intake", "plans", "payments", "monitoring", "notifications", "gateway")


def test_docker_compose_runs_every_service_from_one_dockerfile_with_what_it_references():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    defined = compose["services"]
    assert {"rabbitmq", "postgres", "prometheus", "grafana", *SERVICES} <= set(defined)
    assert "management" in defined["rabbitmq"]["image"]
    for name in SERVICES:
        service = defined[name]
        assert service["build"]["dockerfile"] == "infra/docker/Dockerfile"
        assert (ROOT / service["build"]["dockerfile"]).exists()
        assert f"services/{name}/config.yml" in " ".join(service["command"])
        assert service["environment"][f"{name.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert name in (ROOT / "infra/postgres/init.sql").read_text()
    for source in _mounted_files(compose):
        assert (ROOT / source).exists(), source


def test_docker_compose_relays_the_payments_outbox_from_a_process_of_its_own():
    defined = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    relay, payments = defined["payments-relay"], defined["payments"]
    assert relay["command"][:5] == ["python", "-m", "reintegra.messaging.relay_process",
                                    "payments", "services/payments/config.yml"]
    assert (relay["environment"]["PAYMENTS_DATABASE_URL"]
            == payments["environment"]["PAYMENTS_DATABASE_URL"])
    assert payments["environment"]["OUTBOX_RELAY"] == "false"  # one relay per database
    port = relay["command"][relay["command"].index("--metrics-port") + 1]
    prometheus = yaml.safe_load((ROOT / "infra/prometheus/prometheus.yml").read_text())
    targets = {t for job in prometheus["scrape_configs"] for group in job["static_configs"]
               for t in group["targets"]}
    assert f"payments-relay:{port}" in targets


def _mounted_files(compose):
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            if isinstance(volume, str) and volume.startswith("./"):
                yield volume.split(":")[0][2:]


def test_prometheus_scrapes_every_service_on_its_documented_port():
    config = yaml.safe_load((ROOT / "infra/prometheus/prometheus.yml").read_text())
    targets = {t for job in config["scrape_configs"] for group in job["static_configs"] for t in group["targets"]}
    for port, name in enumerate(SERVICES, start=9101):
        assert f"{name}:{port}" in targets
        assert f"{port}" in (ROOT / f"services/{name}/config.yml").read_text()


def test_every_gateway_route_is_in_the_openapi_document_and_nothing_else():
    routes = set()
    for _, attribute in inspect.getmembers(GatewayService):
        for entrypoint in getattr(attribute, "nameko_entrypoints", ()):
            if not isinstance(entrypoint, HttpRequestHandler):
                continue
            if entrypoint.url != "/" and not entrypoint.url.startswith("/ui/"):
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", entrypoint.url)
                routes.add((entrypoint.method.lower(), path))
    documented = {(method, path) for path, item in openapi_document()["paths"].items() for method in item}
    assert routes == documented


def test_the_grafana_dashboard_charts_only_metrics_the_services_declare():
    dashboard = json.loads((ROOT / "infra/grafana/dashboards/reintegra.json").read_text())
    charted = {name for panel in dashboard["panels"] for target in panel["targets"]
               for name in re.findall(r"reintegra_[a-z_]+", target["expr"])}
    declared_in = "\n".join(p.read_text() for folder in ("libs", "services")
                            for p in (ROOT / folder).rglob("*.py") if "/tests/" not in str(p))
    declared = set(re.findall(r'"(reintegra_[a-z_]+)"', declared_in))
    # Prometheus adds these suffixes to histograms and counters it exports.
    base = {re.sub(r"_(bucket|count|sum)$", "", name) for name in charted}
    assert base <= declared, f"charted but never declared: {sorted(base - declared)}"
    assert len(dashboard["panels"]) >= 10
