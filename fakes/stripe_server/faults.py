"""Faults armed through the control API and consumed by the next matching API requests.

Each fault hits a stage of the request pipeline, which decides what a retry sees:

* "gate" (before idempotency and the endpoint): rate limits, lock timeouts and 500s with
  timing "before". Nothing happened; the key stays free.
* "endpoint" (the endpoint ran and failed): card errors, balance_insufficient and custom
  errors. Saved under the idempotency key, so a retry with the same key replays the error.
  Latency also acts here, after the key is reserved, so a concurrent duplicate meets a 409.
* "answer" (the endpoint succeeded, the answer is lost): 500s with timing "after" and
  dropped connections. The success is saved, so a retry with the same key replays it.
"""
import fnmatch
import threading
from dataclasses import asdict, dataclass

from . import errors, ids

KINDS = ("api_error", "rate_limit", "lock_timeout", "latency", "card_error", "balance_insufficient",
         "error", "drop")


@dataclass
class Fault:
    kind: str
    path: str
    method: str = "*"
    count: int = 1
    timing: str = "after"
    should_retry: bool | None = None
    delay_seconds: float = 0.0
    status: int = 400
    type: str = "invalid_request_error"
    code: str | None = None
    decline_code: str | None = None
    message: str | None = None
    param: str | None = None
    id: str = ""

    @property
    def stage(self):
        if self.kind in ("rate_limit", "lock_timeout"):
            return "gate"
        if self.kind == "api_error":
            return "gate" if self.timing == "before" else "answer"
        if self.kind == "drop":
            return "answer"
        return "endpoint"

    def matches(self, method, path):
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)

    def error(self):
        """The StripeError this fault answers with (not for latency or drop)."""
        builders = {
            "api_error": lambda: errors.api_error(self.should_retry),
            "rate_limit": lambda: errors.rate_limited(self._retry_unless_told_otherwise()),
            "lock_timeout": lambda: errors.lock_timeout(self._retry_unless_told_otherwise()),
            "card_error": lambda: errors.card_declined(self.code or "card_declined",
                                                       self.decline_code or "generic_decline",
                                                       self.message or "Your card was declined."),
            "balance_insufficient": lambda: errors.balance_insufficient(
                self.message or errors.PLATFORM_BALANCE_TOO_LOW),
            "error": lambda: errors.StripeError(self.status, self.type, self.message or "Injected error",
                                                code=self.code, param=self.param,
                                                decline_code=self.decline_code,
                                                should_retry=self.should_retry),
        }
        return builders[self.kind]()

    def _retry_unless_told_otherwise(self):
        return True if self.should_retry is None else self.should_retry


def parse(spec):
    """Build a Fault from control-API JSON, refusing unknown kinds and fields."""
    unknown = set(spec) - (set(Fault.__dataclass_fields__) - {"id"})
    if unknown:
        raise ValueError(f"unknown fault fields: {sorted(unknown)}")
    fault = Fault(**spec)
    if fault.kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if fault.timing not in ("before", "after"):
        raise ValueError("timing must be 'before' or 'after'")
    if fault.count < 1:
        raise ValueError("count must be at least 1")
    fault.method = fault.method.upper() if fault.method != "*" else "*"
    fault.id = ids.new_id("fault")
    return fault


class FaultPlan:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def arm(self, fault):
        with self._lock:
            self._faults.append(fault)
        return fault

    def reset(self):
        with self._lock:
            self._faults.clear()

    def armed(self):
        with self._lock:
            return [asdict(fault) for fault in self._faults]

    def take(self, stage, method, path):
        """Consume one use of the oldest armed fault for this stage and request, if any."""
        with self._lock:
            for fault in self._faults:
                if fault.stage == stage and fault.matches(method, path):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return fault
        return None
