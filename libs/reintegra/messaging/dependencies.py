"""nameko DependencyProviders that wire the backbone into a service.

    class PlansService:
        name = "plans"
        db = Database()        # unit of work with outbox + inbox, and the outbox relay
        caller = Caller()      # who is calling (ids and role), from RPC context or event actor
"""
from __future__ import annotations

from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange

from reintegra import metrics
from reintegra.garbage_collection import collect_in_larger_batches
from reintegra.messaging.carrier import carry
from reintegra.messaging.confirmed_publisher import ConfirmedBatchPublisher, Outgoing
from reintegra.messaging.relay import OutboxRelay
from reintegra.messaging.storage import Store

ACTOR_ID, ACTOR_ROLE = "actor_id", "actor_role"


def actor_from_context(worker_ctx) -> dict | None:
    data = worker_ctx.data or {}
    if data.get(ACTOR_ID):
        return {"id": str(data[ACTOR_ID]), "role": str(data.get(ACTOR_ROLE, ""))}
    args = worker_ctx.args or ()
    envelope_actor = getattr(args[0], "actor", None) if args else None
    return envelope_actor


class ServiceDatabase:
    """What a worker sees: a factory of units of work that know who is acting."""

    def __init__(self, store: Store, actor: dict | None, consumer: str | None):
        self._store = store
        self.actor = actor
        self.consumer = consumer

    def unit_of_work(self):
        return self._store.unit_of_work(actor=self.actor, consumer=self.consumer)

    def handle_once(self, event, handler) -> bool:
        """Run `handler(uow, event.data)` unless this consumer already handled the event.

        The inbox row and the handler's effect commit together, so a redelivery (or the same
        event published twice by a relay that crashed before marking it) has no second effect.
        """
        with self.unit_of_work() as uow:
            first = uow.first_delivery(event.event_id)
            if first:
                handler(uow, event.data)
            uow.commit()
        return first

    def ping(self) -> bool:
        return self._store.ping()

    def outbox_backlog(self) -> int:
        return self._store.outbox_backlog()

    @property
    def engine(self):
        return self._store.engine


def _outgoing(row, config) -> Outgoing:
    body = row.body
    headers = {}
    if body.get("actor"):
        headers = {"nameko.actor_id": body["actor"]["id"],
                   "nameko.actor_role": body["actor"]["role"]}
    return Outgoing(body["event_id"], get_event_exchange(row.source, config),
                    row.event_type, body, headers)


def outbox_publisher(config: dict) -> tuple:
    """What an outbox relay publishes with: `(publish_batch, publisher)`, where
    `publish_batch(rows)` sends outbox rows as the service's nameko events with publisher
    confirms (events of one type carried together, reintegra.messaging.carrier), and
    `publisher` is to be closed when the relay stops."""
    publisher = ConfirmedBatchPublisher(config["AMQP_URI"])

    def publish_batch(rows) -> dict:
        sent = carry([_outgoing(row, config) for row in rows])
        outcome = publisher.publish_batch([message for message, _ids in sent])
        return {event_id: outcome[message.message_id]
                for message, event_ids in sent for event_id in event_ids}
    return publish_batch, publisher


class Database(DependencyProvider):
    """The service's own database (config DATABASE_URL) and its outbox relay."""

    def __init__(self, relay: bool = True):
        self.relay_enabled = relay
        self.store = None
        self.relay = None
        self.publisher = None

    def setup(self):
        config = self.container.config
        self.store = Store(config["DATABASE_URL"], source=self.container.service_name)
        if self.relay_enabled and config.get("OUTBOX_RELAY", True):
            publish_batch, self.publisher = outbox_publisher(config)
            self.relay = OutboxRelay(self.store, publish_batch, on_backlog=self._report_backlog)
            self.store.on_commit = self.relay.wake

    def _report_backlog(self, backlog: int) -> None:
        metrics.OUTBOX_BACKLOG.labels(self.container.service_name).set(backlog)

    def start(self):
        # Every service has a database and handles batches of events or payouts with it;
        # its long-lived objects are built by now (reintegra.garbage_collection says why).
        collect_in_larger_batches()
        if self.relay:
            self.container.spawn_managed_thread(self.relay.run)

    def stop(self):
        if self.relay:
            self.relay.stop()
            self.publisher.close()
        self.store.dispose()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        consumer = getattr(worker_ctx.entrypoint, "consumer_name", None)
        return ServiceDatabase(self.store, actor_from_context(worker_ctx), consumer)


class Caller(DependencyProvider):
    """The identity of whoever caused this worker to run: {"id", "role"} or None."""

    def get_dependency(self, worker_ctx):
        return actor_from_context(worker_ctx)
