"""Fixtures shared by every tier. nameko's pytest plugin no longer monkey-patches: do it first."""
import eventlet

eventlet.monkey_patch()

import os  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from reintegra.messaging.migrations import upgrade  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("REINTEGRA_TEST_POSTGRES")


def _database_kinds():
    return ["sqlite", "postgresql"] if POSTGRES_ADMIN_URL else ["sqlite"]


@pytest.fixture(params=_database_kinds())
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, and (when the test command started one) a
    PostgreSQL database, so the service tier proves both run the same migrations."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'service.sqlite'}"
        return
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def service_config(rabbit_config, database_url):
    """nameko config for a service under test: its own vhost, its own database, fast retries."""
    return {
        **rabbit_config,
        "DATABASE_URL": database_url,
        "METRICS_PORT": 0,
        "RETRY": {"max_attempts": 3, "first_delay_ms": 50},
    }


@pytest.fixture
def migrated():
    def apply(package: str, url: str) -> str:
        upgrade(package, url)
        return url
    return apply


@pytest.fixture
def started_service(container_factory, service_config, migrated):
    """A service's real container on the test vhost, its database migrated first."""
    def start(service_cls, package: str):
        migrated(package, service_config["DATABASE_URL"])
        container = container_factory(service_cls, service_config)
        container.start()
        return container
    return start


def wait_until(predicate, timeout=20.0, interval=0.05):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@pytest.fixture
def eventually():
    return wait_until


@pytest.fixture
def publish_event(rabbit_config):
    """Publish an event envelope as another service's outbox relay would (raw, with pika)."""
    import json
    import pika

    def publish(body: dict, source: str = "intake") -> None:
        connection = pika.BlockingConnection(pika.URLParameters(rabbit_config["AMQP_URI"]))
        channel = connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(f"{source}.events", exchange_type="topic", durable=True)
        channel.basic_publish(f"{source}.events", body["event_type"], json.dumps(body).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=body["event_id"]))
        connection.close()
    return publish


@pytest.fixture
def case_registered_event():
    """intake's `case_registered` for case-1, as its outbox relay would publish it."""
    from reintegra.contracts import new_envelope
    return new_envelope("intake", "case_registered", {
        "case_id": "case-1", "programme_id": "p-1", "status": "registered", "return_country": "GN",
        "vulnerability_level": "low", "intends_to_apply": True,
        "registered_at": "2026-11-01T10:00:00+00:00"}).to_dict()


@pytest.fixture
def events_handled():
    """How many events a service's inbox says it handled."""
    def count(database_url: str) -> int:
        engine = sa.create_engine(database_url)
        with engine.connect() as conn:
            handled = conn.exec_driver_sql("SELECT count(*) FROM inbox").scalar_one()
        engine.dispose()
        return handled
    return count


# The local Stripe test server (fakes/stripe_server), shared by the payments contract and
# service tests: one per session, signing its webhooks with this secret to one receiver.
STRIPE_WEBHOOK_SECRET = "whsec_reintegra_tests"


@pytest.fixture(scope="session")
def webhook_receiver():
    from stripe_server.testing import WebhookReceiver
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def stripe_server(webhook_receiver):
    from stripe_server.testing import running_server
    with running_server(webhook_url=webhook_receiver.url,
                        webhook_secret=STRIPE_WEBHOOK_SECRET) as server:
        yield server


@pytest.fixture
def fresh_stripe(stripe_server, webhook_receiver):
    """The Stripe server with no objects and no webhooks left from an earlier test."""
    stripe_server.reset()
    webhook_receiver.drain()
    return stripe_server
