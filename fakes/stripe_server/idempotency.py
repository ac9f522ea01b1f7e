"""Idempotency keys with Stripe's rules.

* A key is scoped to the API key and the `Stripe-Account` it was sent with.
* The first request's status and body are saved once the endpoint has started executing
  (success or error alike) and replayed for 24 hours, with `Idempotent-Replayed: true`.
* Nothing is saved when the request never reached the endpoint (invalid parameters, rate
  limited, conflicting): the key stays free.
* Reusing a key with other parameters or on another endpoint is an `idempotency_error`;
  reusing it while the first request is still running is a 409 `idempotency_key_in_use`.
"""
import threading
import time
from dataclasses import dataclass, field

from . import errors

RETENTION_SECONDS = 24 * 60 * 60


@dataclass
class SavedResponse:
    endpoint: str
    fingerprint: tuple
    request_id: str
    created: float = field(default_factory=time.time)
    status: int | None = None
    body: dict | None = None
    headers: dict | None = None

    @property
    def finished(self):
        return self.status is not None


class IdempotencyCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._saved = {}

    def reset(self):
        with self._lock:
            self._saved.clear()

    def begin(self, scope, endpoint, fingerprint, request_id):
        """Reserve `scope` for this request and return None, or return the response to replay."""
        with self._lock:
            saved = self._saved.get(scope)
            if saved is not None and time.time() - saved.created > RETENTION_SECONDS:
                saved = None
            if saved is None:
                self._saved[scope] = SavedResponse(endpoint, fingerprint, request_id)
                return None
            key = scope[-1]
            if saved.endpoint != endpoint:
                raise errors.idempotency_endpoint_mismatch(key, saved.endpoint, endpoint)
            if saved.fingerprint != fingerprint:
                raise errors.idempotency_params_mismatch(key)
            if not saved.finished:
                raise errors.idempotency_key_in_use(key)
            return saved

    def save(self, scope, status, body, headers):
        with self._lock:
            saved = self._saved[scope]
            saved.status, saved.body, saved.headers = status, body, headers

    def release(self, scope):
        """The request never reached the endpoint: forget the reservation."""
        with self._lock:
            saved = self._saved.get(scope)
            if saved is not None and not saved.finished:
                del self._saved[scope]
