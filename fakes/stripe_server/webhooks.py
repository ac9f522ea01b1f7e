"""Delivery of signed event payloads to webhook endpoints, in a background thread.

Like Stripe, a delivery that does not get a 2xx answer is retried (here: a few quick retries
instead of three days of backoff), each attempt signed afresh with the time of sending. The
exact bytes of an event are fixed when it is created, so resends carry the same payload.
"""
import fnmatch
import queue
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field

from . import ids
from .signing import sign

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


@dataclass
class Endpoint:
    url: str
    secret: str
    enabled_events: list = field(default_factory=lambda: ["*"])
    auto_deliver: bool = True
    id: str = field(default_factory=lambda: ids.new_id("we"))

    def wants(self, event_type):
        return any(fnmatch.fnmatchcase(event_type, pattern) for pattern in self.enabled_events)

    def public(self):
        return asdict(self)


@dataclass
class Delivery:
    event_id: str
    endpoint_id: str
    attempt: int
    status: int | None
    error: str | None
    signature: str | None
    sent_at: float


@dataclass(frozen=True)
class Tampering:
    """How a manual resend deviates from an honest delivery (for receiver fault tests)."""
    timestamp: int | None = None
    secret: str | None = None
    alter_body: bool = False
    omit_signature: bool = False


class WebhookDispatcher:
    def __init__(self, max_attempts=3, retry_delay=0.2):
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self._lock = threading.Lock()
        self._endpoints = []
        self._deliveries = []
        self._outstanding = 0
        self._generation = 0
        self._queue = queue.Queue()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        threading.Thread(target=self._work, name="webhook-delivery", daemon=True).start()

    def add_endpoint(self, endpoint):
        with self._lock:
            self._endpoints.append(endpoint)
        return endpoint

    def endpoints(self):
        with self._lock:
            return list(self._endpoints)

    def clear_endpoints(self):
        with self._lock:
            self._endpoints.clear()

    def reset(self, endpoints):
        """Forget history and endpoints; deliveries still queued from before are dropped."""
        with self._lock:
            self._generation += 1
            self._endpoints = list(endpoints)
            self._deliveries.clear()

    def deliveries(self):
        with self._lock:
            return [asdict(delivery) for delivery in self._deliveries]

    def publish(self, event_id, event_type, payload):
        """Queue the event for every endpoint that listens to its type and delivers automatically."""
        for endpoint in self.endpoints():
            if endpoint.auto_deliver and endpoint.wants(event_type):
                self._change_outstanding(+1)
                self._queue.put((self._generation, event_id, payload, endpoint, 1))

    def idle(self):
        """True when no automatic delivery is queued, in flight or waiting for a retry."""
        with self._lock:
            return self._outstanding == 0

    def deliver_now(self, event_id, payload, endpoint, tampering=Tampering()):
        """Send once, synchronously, and return the recorded Delivery."""
        body = _change_one_byte(payload) if tampering.alter_body else payload
        signature = None
        if not tampering.omit_signature:
            signature = sign(payload, tampering.secret or endpoint.secret, tampering.timestamp)
        return self._send(event_id, body, endpoint, signature, attempt=0)

    def _change_outstanding(self, step):
        with self._lock:
            self._outstanding += step

    def _work(self):
        while True:
            generation, event_id, payload, endpoint, attempt = self._queue.get()
            if generation != self._generation:
                self._change_outstanding(-1)
                continue
            delivery = self._send(event_id, payload, endpoint, sign(payload, endpoint.secret), attempt)
            succeeded = delivery.status is not None and delivery.status < 300
            if succeeded or attempt >= self._max_attempts:
                self._change_outstanding(-1)
            else:
                self._retry_later((generation, event_id, payload, endpoint, attempt + 1))

    def _retry_later(self, item):
        delay = self._retry_delay * 2 ** (item[-1] - 2)
        timer = threading.Timer(delay, self._queue.put, (item,))
        timer.daemon = True
        timer.start()

    def _send(self, event_id, body, endpoint, signature, attempt):
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
        if signature:
            headers["Stripe-Signature"] = signature
        request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")
        status, error = None, None
        try:
            with self._opener.open(request, timeout=5) as answer:
                status = answer.status
        except urllib.error.HTTPError as failure:
            status = failure.code
        except (urllib.error.URLError, OSError) as failure:
            error = str(failure)
        delivery = Delivery(event_id, endpoint.id, attempt, status, error, signature, time.time())
        with self._lock:
            self._deliveries.append(delivery)
        return delivery


def _change_one_byte(payload):
    """Bump the first digit of the body (an amount, a timestamp): same length, one byte off."""
    for index, byte in enumerate(payload):
        if 0x30 <= byte <= 0x39:
            bumped = 0x30 + (byte - 0x30 + 1) % 10
            return payload[:index] + bytes([bumped]) + payload[index + 1:]
    return payload + b" "
