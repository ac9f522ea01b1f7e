"""A daemon thread that works when something is due and otherwise sleeps until woken."""
import abc
import threading

from .clock import now_ms

# Upper bound on a sleep, so work that became due without a wake-up is never late by more.
_MAX_IDLE_S = 0.5


class WakeableLoop(threading.Thread, abc.ABC):
    def __init__(self, name: str):
        super().__init__(name=name, daemon=True)
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout=5)

    def run(self) -> None:
        while not self._stopping.is_set():
            next_due = self.work_once()
            self._sleep_until(next_due)

    @abc.abstractmethod
    def work_once(self) -> int | None:
        """Does whatever is due now; returns when (epoch ms) more work falls due, if known.

        The hook each worker (settlement, callbacks) implements; this base only schedules it.
        """

    def _sleep_until(self, due_ms: int | None) -> None:
        timeout = _MAX_IDLE_S if due_ms is None else (due_ms - now_ms()) / 1000
        self._wake.wait(min(max(timeout, 0.0), _MAX_IDLE_S))
        # Clearing after waking is safe: the next work_once reads the store afresh.
        self._wake.clear()
