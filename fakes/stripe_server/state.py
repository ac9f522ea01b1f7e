"""Everything one server process knows, behind one lock, and the request as handlers see it."""
import threading
import time
from dataclasses import dataclass

from . import ids
from .events import EventLog
from .faults import FaultPlan
from .idempotency import IdempotencyCache
from .store import Ledger, Store
from .webhooks import Endpoint, WebhookDispatcher


class State:
    def __init__(self, config, fixtures):
        self.config = config
        self.fixtures = fixtures
        # API handlers, control actions and lifecycle timers all run under this lock, so each
        # operation is atomic as it is on Stripe (a retry can never see half a transfer).
        self.lock = threading.RLock()
        self.idempotency = IdempotencyCache()
        self.faults = FaultPlan()
        self.webhooks = WebhookDispatcher(config.webhook_attempts, config.webhook_retry_delay)
        self.platform_account_id = ids.new_id("acct")
        self._generation = 0
        self.reset()

    def reset(self):
        """Back to a fresh start: no objects, opening balances, no faults, configured endpoints."""
        with self.lock:
            self._generation += 1
            self.store = Store()
            self.ledger = Ledger(self.config.platform_balance, self.config.issuing_balance)
            self.requests = []
            self.idempotency.reset()
            self.faults.reset()
            self.webhooks.reset(self._configured_endpoints())
            self.events = EventLog(self.fixtures, self.store, self.webhooks, self.config.api_version)

    def later(self, delay, action):
        """Run `action()` under the lock after `delay` seconds, unless the state is reset first."""
        generation = self._generation

        def run():
            with self.lock:
                if generation == self._generation:
                    action()

        timer = threading.Timer(delay, run)
        timer.daemon = True
        timer.start()

    def log_request(self, entry):
        with self.lock:
            self.requests.append(entry)

    def _configured_endpoints(self):
        if not self.config.webhook_url:
            return []
        return [Endpoint(self.config.webhook_url, self.config.webhook_secret)]


@dataclass
class Call:
    """One authenticated, validated API request."""
    state: State
    params: dict
    args: dict
    account: str | None
    request_id: str
    idempotency_key: str | None

    @property
    def store(self):
        return self.state.store

    @property
    def ledger(self):
        return self.state.ledger

    @property
    def fixtures(self):
        return self.state.fixtures

    def emit(self, event_type, snapshot, *, account=None, previous=None):
        return self.state.events.emit(event_type, snapshot, account=account, previous=previous,
                                      request=(self.request_id, self.idempotency_key))


def now():
    return int(time.time())
