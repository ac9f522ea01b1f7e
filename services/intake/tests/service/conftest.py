"""Intake on a real broker vhost and a real database, with a throw-away sensitive-data key."""
import base64
import copy
import json
import os

import pika
import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from reintegra.messaging.carrier import carried_events
from reintegra.messaging.tables import outbox
from intake.service import IntakeService

PROGRAMME = {"code": "ARVORE-T", "name": "Test programme", "host_country": "PT", "currency": "EUR",
             "start_date": "2026-01-01",
             "funding_sources": [{"code": "EU", "budget": {"amount": 1000000, "currency": "EUR"}}]}

PERSON = {
    "given_names": "Amina", "family_names": "Diallo", "date_of_birth": "1990-02-03",
    "sex": "female", "nationality": "GN",
    "identity_document": {"type": "passport", "number": "GN123456", "issuing_country": "GN"},
    "languages": ["fr"], "contact": {"phone": "+351912345678"},
    "migratory_status": "irregular", "return_country": "GN", "return_city": "Conakry",
    "referral_source": "self",
    "consent": {"given": True, "date": "2026-01-05", "scope": ["case_management"]},
    "intends_to_apply_for_reintegration": True,
}

# Who may be acting, as the gateway names them in the RPC context: "<role>" has id
# "<role>-id"; "caseworker-2" is a second caseworker.
ACTORS = {name: {"actor_id": f"{name}-id", "actor_role": name.split("-")[0]}
          for name in ("caseworker", "caseworker-2", "supervisor", "auditor", "finance_officer")}


@pytest.fixture
def intake_config(service_config, migrated):
    migrated("intake", service_config["DATABASE_URL"])
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return {**service_config, "INTAKE_SENSITIVE_DATA_KEY": key}


@pytest.fixture
def intake(container_factory, intake_config):
    """The intake container with its outbox relay publishing to the test vhost."""
    container = container_factory(IntakeService, intake_config)
    container.start()
    return container


@pytest.fixture
def call(intake, intake_config):
    """call(actor, method, *args, **kwargs): an RPC over the broker, as the gateway makes
    it, carrying who is acting (a name from ACTORS, e.g. "caseworker")."""
    proxies, started = [], {}

    def rpc(actor: str, method: str, *args, **kwargs):
        key = actor
        if key not in started:
            proxies.append(ClusterRpcProxy(intake_config, context_data=ACTORS[actor], timeout=15))
            started[key] = proxies[-1].start()
        return getattr(started[key].intake, method)(*args, **kwargs)
    yield rpc
    for proxy in proxies:
        proxy.stop()


@pytest.fixture
def programme_id(call):
    return call("supervisor", "create_programme", PROGRAMME)["id"]


@pytest.fixture
def a_person(programme_id):
    """A complete registration for the test programme; override any field by keyword."""
    def make(**overrides):
        return {**copy.deepcopy(PERSON), "programme_id": programme_id, **overrides}
    return make


@pytest.fixture
def event_queue(intake_config):
    """A queue bound to every intake event on the test vhost, declared before anything is
    published; `messages()` drains the events that have arrived so far (each event of a
    message carrying several, reintegra.messaging.carrier)."""
    connection = pika.BlockingConnection(pika.URLParameters(intake_config["AMQP_URI"]))
    channel = connection.channel()
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "intake.events", routing_key="#")
    received = []

    class Queue:
        def messages(self):
            while True:
                method, _, body = channel.basic_get(queue, auto_ack=True)
                if method is None:
                    return received
                received.extend(carried_events(json.loads(body)))
    yield Queue()
    connection.close()


@pytest.fixture
def rows(intake_config):
    """rows(sql): what intake's database holds, read directly."""
    engine = sa.create_engine(intake_config["DATABASE_URL"])

    def query(statement):
        with engine.connect() as conn:
            return conn.execute(sa.text(statement) if isinstance(statement, str) else statement).all()
    yield query
    engine.dispose()


@pytest.fixture
def outbox_events(rows):
    def events():
        return rows(sa.select(outbox.c.event_type, outbox.c.body).order_by(outbox.c.id))
    return events
