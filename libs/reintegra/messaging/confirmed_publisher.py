"""Publishing a batch of events with publisher confirms, waiting once for the whole batch.

Waiting for the broker's confirm of each message before sending the next makes the relay
pay a round trip per event; a payout batch announces two events per payout. Here the whole
batch is sent on a channel in confirm mode, mandatory, and the confirms (which RabbitMQ may
group with `multiple`) are awaited together. A message the broker could not route comes back
as basic.return before its confirm, so it is reported as undeliverable, not as published.

Messages look exactly as nameko's own event dispatcher sends them (JSON, persistent, on the
source's topic exchange, routing key = event type), so nameko event handlers consume them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import amqp
from kombu import Connection, Exchange


class UndeliverableMessage(Exception):
    """No queue is bound for this event: kept in the outbox until somebody listens."""


class NotConfirmed(Exception):
    """The broker refused (nack) or never confirmed the message."""


@dataclass(frozen=True)
class Outgoing:
    message_id: str
    exchange: Exchange  # declared as nameko declares it (topic, durable, its auto_delete)
    routing_key: str
    body: dict
    headers: dict


class ConfirmedBatchPublisher:
    """One connection, one confirm-mode channel, reused while it stays healthy."""

    def __init__(self, amqp_uri: str, timeout: float = 30.0):
        self._uri = amqp_uri
        self._timeout = timeout
        self._connection = None
        self._channel = None
        self._declared: set[str] = set()
        self._returned: set[str] = set()
        self._awaiting: set[int] = set()      # delivery tags sent and not yet confirmed
        self._confirmed: dict[int, bool] = {}  # delivery tag → acked (False: nacked)
        self._next_tag = 1

    def publish_batch(self, messages: list[Outgoing]) -> dict[str, Exception | None]:
        """Send all, then wait for their confirms: message id → None (confirmed and routed)
        or the reason it was not. Raises when the broker cannot be reached at all."""
        try:
            return self._publish_batch(messages)
        except Exception:
            self.close()  # a half-used channel's delivery tags can't be trusted: start afresh
            raise

    def _publish_batch(self, messages: list[Outgoing]) -> dict[str, Exception | None]:
        channel = self._open()
        self._returned.clear()
        tags: dict[int, str] = {}
        for message in messages:
            self._declare(channel, message.exchange)
            channel.basic_publish(_message(message), exchange=message.exchange.name,
                                  routing_key=message.routing_key, mandatory=True)
            tags[self._next_tag] = message.message_id
            self._awaiting.add(self._next_tag)
            self._next_tag += 1
        while self._awaiting:
            # Dispatches acks, nacks and returns to the callbacks below; raises on timeout.
            self._connection.drain_events(timeout=self._timeout)
        outcome: dict[str, Exception | None] = {}
        for tag, message_id in tags.items():
            if not self._confirmed.pop(tag):
                outcome[message_id] = NotConfirmed(f"the broker nacked message {message_id}")
            elif message_id in self._returned:
                outcome[message_id] = UndeliverableMessage(
                    f"no queue is bound for message {message_id}")
            else:
                outcome[message_id] = None
        return outcome

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # closing a dead connection can fail too; it is gone either way
                pass
        self._connection = self._channel = None
        self._declared.clear()
        self._awaiting.clear()
        self._confirmed.clear()
        self._next_tag = 1

    def _open(self):
        if self._channel is not None and self._connection.connected:
            return self._channel
        self.close()
        self._connection = Connection(self._uri, connect_timeout=self._timeout)
        self._connection.connect()
        channel = self._connection.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.events["basic_return"].add(self._on_return)
        self._channel = channel
        return channel

    def _declare(self, channel, exchange: Exchange) -> None:
        if exchange.name not in self._declared:
            channel.exchange_declare(exchange.name, exchange.type, durable=exchange.durable,
                                     auto_delete=bool(exchange.auto_delete))
            self._declared.add(exchange.name)

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, True)

    def _on_nack(self, delivery_tag: int, multiple: bool, *_requeue) -> None:
        self._settle(delivery_tag, multiple, False)

    def _settle(self, delivery_tag: int, multiple: bool, acked: bool) -> None:
        # `multiple` confirms every tag up to this one at once.
        settled = ({t for t in self._awaiting if t <= delivery_tag} if multiple
                   else {delivery_tag} & self._awaiting)
        for tag in settled:
            self._confirmed[tag] = acked
        self._awaiting -= settled

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        self._returned.add(message.properties.get("message_id"))


def _message(outgoing: Outgoing) -> amqp.Message:
    return amqp.Message(
        json.dumps(outgoing.body).encode(), content_type="application/json",
        content_encoding="utf-8", delivery_mode=2, message_id=outgoing.message_id,
        type=outgoing.routing_key, application_headers=outgoing.headers)
