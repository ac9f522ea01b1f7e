"""Delivers queued callbacks to the payer's X-Callback-Url, retrying with exponential backoff.

Delivery is at least once: a callback in flight when the process dies is sent again after
restart. Callbacks of one transfer go out one at a time and in order, which is what makes
the "stale PENDING after the final state" fault arrive reliably out of order.
"""
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .background import WakeableLoop
from .clock import now_ms
from .settings import PartnerSettings
from .store import PartnerStore

_WORKERS = 4
# Callbacks go to the caller's loopback receiver; never route them through an HTTP proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class CallbackDispatcher(WakeableLoop):
    def __init__(self, store: PartnerStore, settings: PartnerSettings):
        super().__init__(name="callback-dispatcher")
        self._store = store
        self._settings = settings
        self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="callback")
        self._busy_lock = threading.Lock()
        self._busy_references: set[str] = set()

    def stop(self) -> None:
        super().stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def work_once(self) -> int | None:
        for callback in self._store.due_callbacks(now_ms(), _WORKERS * 4, self._busy()):
            with self._busy_lock:
                self._busy_references.add(callback["reference_id"])
            self._pool.submit(self._deliver, callback)
        return self._store.next_callback_at(self._busy())

    def _busy(self) -> set[str]:
        with self._busy_lock:
            return set(self._busy_references)

    def _deliver(self, callback: dict) -> None:
        try:
            _post_json(callback["url"], callback["payload"], self._settings.callback_timeout_s)
        except Exception as error:  # any failure of the receiver is retried the same way
            retry_at = self._retry_at(callback["attempts"])
            self._store.callback_failed(callback["id"], repr(error), retry_at)
        else:
            self._store.callback_delivered(callback["id"], now_ms())
        finally:
            with self._busy_lock:
                self._busy_references.discard(callback["reference_id"])
            self.wake()

    def _retry_at(self, attempts_before: int) -> int | None:
        attempts = attempts_before + 1
        if attempts >= self._settings.callback_attempts:
            return None
        return now_ms() + self._settings.callback_backoff_ms * 2 ** (attempts - 1)


def _post_json(url: str, payload: str, timeout_s: float) -> None:
    request = urllib.request.Request(url, data=payload.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    # urlopen raises HTTPError for 4xx/5xx; any 2xx or 3xx-followed answer counts as delivered.
    with _OPENER.open(request, timeout=timeout_s) as response:
        response.read()
