"""`reliable_event_handler`: nameko's event handler without its silent failure modes.

nameko acks a message whose handler raised (or, with requeue_on_error, redelivers it at once,
forever). Here a message that breaks its contract goes straight to the dead-letter queue with
the reason; a handler error schedules a retry through a per-queue delay queue (per-message TTL,
dead-lettered back to the consumer queue), and after the policy's last attempt the message is
dead-lettered. The original is acked only after the retry or dead letter was confirmed by the
broker; if that publish fails the original is requeued, so nothing is ever lost.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from functools import partial

from kombu import Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from reintegra import metrics
from reintegra.contracts import ContractViolation, Envelope, validate_incoming
from reintegra.messaging.retry import (ATTEMPTS_HEADER, DEAD_LETTER_QUEUE, PermanentError,
                                       RetryPolicy)

log = logging.getLogger(__name__)

_DEFAULT_EXCHANGE = Exchange("", type="direct")


def dead_letter_queue() -> Queue:
    return Queue(DEAD_LETTER_QUEUE, exchange=_DEFAULT_EXCHANGE, routing_key=DEAD_LETTER_QUEUE,
                 durable=True)


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
        try:
            validate_incoming(body, self.source_service, self.event_type)
        except ContractViolation as exc:
            self._settle_failure(message, PermanentError(f"contract: {exc.errors}"), attempts=1)
            return
        handle_result = partial(self.handle_result, message)
        try:
            self.container.spawn_worker(
                self, (Envelope.from_dict(body),), {},
                context_data=self.unpack_message_headers(message), handle_result=handle_result)
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        self._settle_failure(message, exc_info[1], attempts)

    def _settle_failure(self, message, error: BaseException, attempts: int) -> None:
        try:
            if self.policy.gives_up(attempts, error):
                self._dead_letter(message, error, attempts)
            else:
                self._schedule_retry(message, error, attempts)
        except Exception:
            log.exception("could not park a failed message; requeueing it",
                          extra={"queue": self.queue.name})
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _schedule_retry(self, message, error: BaseException, attempts: int) -> None:
        delay_ms = self.policy.delay_ms(attempts)
        self._republish(message, self.retry_queue, {ATTEMPTS_HEADER: attempts},
                        expiration=delay_ms / 1000)
        metrics.MESSAGES_RETRIED.labels(self.container.service_name, self.queue.name).inc()
        log.warning("event handler failed; retry scheduled", extra={
            "queue": self.queue.name, "event_id": message.properties.get("message_id"),
            "attempt": attempts, "retry_in_ms": delay_ms, "error": type(error).__name__})

    def _dead_letter(self, message, error: BaseException, attempts: int) -> None:
        reason = f"{type(error).__name__}: {error}"[:1000]
        self._republish(message, dead_letter_queue(), {
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
            "queue": self.queue.name, "event_id": message.properties.get("message_id"),
            "attempts": attempts, "error": type(error).__name__})

    def _republish(self, message, queue: Queue, headers: dict, expiration=None) -> None:
        kept = {k: v for k, v in (message.headers or {}).items() if k != "x-death"}
        kept.update(headers)
        self.publisher.publish(
            message.body, exchange=_DEFAULT_EXCHANGE, routing_key=queue.name, declare=[queue],
            headers=kept, expiration=expiration, content_type=message.content_type,
            content_encoding=message.content_encoding,
            message_id=message.properties.get("message_id"),
            type=message.properties.get("type"))


reliable_event_handler = ReliableEventHandler.decorator
