"""Faults the control API arms and the operator API consumes, one request at a time.

Every "next N" fault is a queue entry consumed by exactly one request, so tests can stack
faults ("fail the next two with NOT_ENOUGH_FUNDS, then one with PAYEE_NOT_FOUND").
Faults live in memory only: a restarted partner starts healthy.
"""
import math
import threading
from collections import deque
from dataclasses import dataclass

from .clock import now_ms


@dataclass(frozen=True)
class TransferPlan:
    """Decided when a new transfer is accepted and stored with it, so it survives restarts."""
    planned_failure: str | None = None
    callback_copies: int = 1
    stale_pending_callback: bool = False


@dataclass(frozen=True)
class AfterAccept:
    """What happens to the HTTP answer once a submission is safely stored."""
    kind: str  # "error" (500), "timeout" (answer after delay_ms) or "drop" (close the socket)
    delay_ms: int = 0


class FaultInjector:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._failures: deque[str] = deque()
            self._callback_faults: deque[tuple[int, bool]] = deque()
            self._after_accept: deque[AfterAccept] = deque()
            self._down_until: float | None = None

    def fail_next(self, count: int, reason: str) -> None:
        with self._lock:
            self._failures.extend([reason] * count)

    def duplicate_callbacks_next(self, count: int, copies: int, stale_pending: bool) -> None:
        with self._lock:
            self._callback_faults.extend([(copies, stale_pending)] * count)

    def after_accept_next(self, count: int, fault: AfterAccept) -> None:
        with self._lock:
            self._after_accept.extend([fault] * count)

    def go_down(self, duration_ms: int | None) -> None:
        with self._lock:
            self._down_until = math.inf if duration_ms is None else now_ms() + duration_ms

    def come_up(self) -> None:
        with self._lock:
            self._down_until = None

    def is_down(self) -> bool:
        with self._lock:
            return self._down_until is not None and now_ms() < self._down_until

    def plan_new(self, kind: str) -> TransferPlan:
        """Consumes the faults that shape a newly accepted transfer or voucher."""
        with self._lock:
            # A voucher cannot fail before collection (it expires instead), so failures wait
            # for the next mobile-money transfer.
            failure = self._failures.popleft() if kind == "transfer" and self._failures else None
            copies, stale = self._callback_faults.popleft() if self._callback_faults else (1, False)
        return TransferPlan(failure, copies, stale)

    def take_after_accept(self) -> AfterAccept | None:
        with self._lock:
            return self._after_accept.popleft() if self._after_accept else None

    def describe(self) -> dict:
        with self._lock:
            return {
                "failNext": list(self._failures),
                "duplicateCallbacksNext": len(self._callback_faults),
                "afterAcceptNext": [fault.kind for fault in self._after_accept],
                "down": self._down_until is not None and now_ms() < self._down_until,
            }
