"""`reliable_event_handler`: nameko's event handler without its silent failure modes.

nameko acks a message whose handler raised (or, with requeue_on_error, redelivers it at once,
forever). Here a message that breaks its contract goes straight to the dead-letter queue with
the reason; a handler error schedules a retry through a per-queue delay queue (per-message TTL,
dead-lettered back to the consumer queue), and after the policy's last attempt the message is
dead-lettered. The original is acked only after the retry or dead letter was confirmed by the
broker; if that publish fails the original is requeued, so nothing is ever lost.

A message carrying several events (reintegra.messaging.carrier) is taken apart: each event is
validated and handled by a worker of its own, and one that fails is retried or dead-lettered
alone. The carrier is acked when every event in it was handled or parked, and requeued whole
if parking one failed (redelivered events already handled are no-ops: consumers are
idempotent).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial

from kombu import Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from reintegra import metrics
from reintegra.contracts import ContractViolation, Envelope, validate_incoming
from reintegra.messaging.carrier import CARRIED, CARRIED_HEADER, is_carrier
from reintegra.messaging.retry import (ATTEMPTS_HEADER, DEAD_LETTER_QUEUE, PermanentError,
                                       RetryPolicy)

log = logging.getLogger(__name__)

_DEFAULT_EXCHANGE = Exchange("", type="direct")


def dead_letter_queue() -> Queue:
    return Queue(DEAD_LETTER_QUEUE, exchange=_DEFAULT_EXCHANGE, routing_key=DEAD_LETTER_QUEUE,
                 durable=True)


@dataclass(frozen=True)
class _Lone:
    """One event's message as it is retried or dead-lettered: the message it came in, or,
    for an event a carrier brought, a message of its own."""
    body: bytes
    headers: dict
    message_id: str | None
    type: str | None
    content_type: str | None = "application/json"
    content_encoding: str | None = "utf-8"

    @classmethod
    def of(cls, message) -> "_Lone":
        return cls(message.body, message.headers or {}, message.properties.get("message_id"),
                   message.properties.get("type"), message.content_type,
                   message.content_encoding)

    @classmethod
    def carried(cls, event, carrier) -> "_Lone":
        headers = {k: v for k, v in (carrier.headers or {}).items() if k != CARRIED_HEADER}
        event_id = event.get("event_id") if isinstance(event, dict) else None
        return cls(json.dumps(event).encode(), headers, event_id,
                   carrier.properties.get("type"))


class _CarrierDelivery:
    """Counts down the events of one carrier; acks it (or requeues it) after the last."""

    def __init__(self, handler: "ReliableEventHandler", message, events: int):
        self._handler, self._message, self._left = handler, message, events
        self.requeue = False

    def done(self) -> None:
        self._left -= 1
        if self._left == 0:
            consumer = self._handler.queue_consumer
            if self.requeue:
                consumer.requeue_message(self._message)
            else:
                consumer.ack_message(self._message)


class ReliableEventHandler(EventHandler):

    def __init__(self, source_service: str, event_type: str, **kwargs):
        super().__init__(source_service, event_type, requeue_on_error=False, **kwargs)

    def setup(self):
        super().setup()
        config = self.container.config
        self.policy = RetryPolicy.from_config(config)
        self.retry_queue = Queue(
            f"{self.queue.name}.retry", exchange=_DEFAULT_EXCHANGE,
            routing_key=f"{self.queue.name}.retry", durable=True,
            queue_arguments={"x-dead-letter-exchange": "",
                             "x-dead-letter-routing-key": self.queue.name})
        self.publisher = Publisher(config["AMQP_URI"], use_confirms=True, mandatory=True)

    @property
    def consumer_name(self) -> str:
        return f"{self.container.service_name}.{self.method_name}"

    def handle_message(self, body, message):
        if is_carrier(body) and isinstance(body[CARRIED], list) and body[CARRIED]:
            self._handle_carried(body[CARRIED], message)
            return
        try:
            validate_incoming(body, self.source_service, self.event_type)
        except ContractViolation as exc:
            self._settle_failure(message, _contract_error(exc), attempts=1)
            return
        handle_result = partial(self.handle_result, message)
        try:
            self.container.spawn_worker(
                self, (Envelope.from_dict(body),), {},
                context_data=self.unpack_message_headers(message), handle_result=handle_result)
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def _handle_carried(self, events: list, message) -> None:
        delivery = _CarrierDelivery(self, message, len(events))
        context_data = self.unpack_message_headers(message)
        for event in events:
            if delivery.requeue:
                # The carrier goes back whole (the container is stopping, or an event could
                # not be parked): the rest come back with it.
                delivery.done()
                continue
            try:
                validate_incoming(event, self.source_service, self.event_type)
            except ContractViolation as exc:
                self._park_carried(delivery, _Lone.carried(event, message), _contract_error(exc))
                continue
            try:
                self.container.spawn_worker(
                    self, (Envelope.from_dict(event),), {}, context_data=context_data,
                    handle_result=partial(self._carried_result, delivery, event, message))
            except ContainerBeingKilled:
                delivery.requeue = True
                delivery.done()

    def _carried_result(self, delivery: _CarrierDelivery, event: dict, message, worker_ctx,
                        result, exc_info):
        if exc_info is None:
            delivery.done()
        else:
            self._park_carried(delivery, _Lone.carried(event, message), exc_info[1])
        return result, exc_info

    def _park_carried(self, delivery: _CarrierDelivery, lone: _Lone, error: BaseException) -> None:
        # A carrier is a first delivery: its events' retries travel alone and count from there.
        try:
            self._park(lone, error, attempts=1)
        except Exception:
            log.exception("could not park a failed event; requeueing its carrier",
                          extra={"queue": self.queue.name, "event_id": lone.message_id})
            delivery.requeue = True
        delivery.done()

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        self._settle_failure(message, exc_info[1], attempts)

    def _settle_failure(self, message, error: BaseException, attempts: int) -> None:
        try:
            self._park(_Lone.of(message), error, attempts)
        except Exception:
            log.exception("could not park a failed message; requeueing it",
                          extra={"queue": self.queue.name})
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _park(self, lone: _Lone, error: BaseException, attempts: int) -> None:
        """Schedule a retry of the message, or dead-letter it; raises if the broker did not
        take it."""
        if self.policy.gives_up(attempts, error):
            self._dead_letter(lone, error, attempts)
        else:
            self._schedule_retry(lone, error, attempts)

    def _schedule_retry(self, lone: _Lone, error: BaseException, attempts: int) -> None:
        delay_ms = self.policy.delay_ms(attempts)
        self._republish(lone, self.retry_queue, {ATTEMPTS_HEADER: attempts},
                        expiration=delay_ms / 1000)
        metrics.MESSAGES_RETRIED.labels(self.container.service_name, self.queue.name).inc()
        log.warning("event handler failed; retry scheduled", extra={
            "queue": self.queue.name, "event_id": lone.message_id,
            "attempt": attempts, "retry_in_ms": delay_ms, "error": type(error).__name__})

    def _dead_letter(self, lone: _Lone, error: BaseException, attempts: int) -> None:
        reason = f"{type(error).__name__}: {error}"[:1000]
        self._republish(lone, dead_letter_queue(), {
            ATTEMPTS_HEADER: attempts,
            "x-original-queue": self.queue.name,
            "x-service": self.container.service_name,
            "x-event-type": self.event_type,
            "x-dead-letter-reason": reason,
            "x-dead-lettered-at": datetime.now(timezone.utc).isoformat(),
        })
        kind = "contract" if isinstance(error, PermanentError) else "exhausted"
        metrics.MESSAGES_DEAD_LETTERED.labels(self.container.service_name, self.queue.name, kind).inc()
        log.error("event dead-lettered", extra={
            "queue": self.queue.name, "event_id": lone.message_id,
            "attempts": attempts, "error": type(error).__name__})

    def _republish(self, lone: _Lone, queue: Queue, headers: dict, expiration=None) -> None:
        kept = {k: v for k, v in lone.headers.items() if k != "x-death"}
        kept.update(headers)
        self.publisher.publish(
            lone.body, exchange=_DEFAULT_EXCHANGE, routing_key=queue.name, declare=[queue],
            headers=kept, expiration=expiration, content_type=lone.content_type,
            content_encoding=lone.content_encoding, message_id=lone.message_id, type=lone.type)


def _contract_error(exc: ContractViolation) -> PermanentError:
    return PermanentError(f"contract: {exc.errors}")


reliable_event_handler = ReliableEventHandler.decorator
