"""The payout route port: how the engine asks an outside provider to move money.

Every route (the sandbox partner, mobile money, cash pickup, Stripe bank transfers, Stripe
Issuing cards, and supplier / third-party payouts on top of those) implements
`PayoutRoute`. Configuration, not code, picks the adapter for a route name
(`PAYOUT_ROUTES` in the payments config). One contract-test suite
(`services/payments/tests/contract/`) runs against every adapter.

The rules each adapter must keep, whatever its provider does:
- `submit` is idempotent on `order.idempotency_key`: the key is sent with every call, the
  same key twice never moves money twice, and a provider's "already exists" answer is a
  success that reports the transfer's current state.
- Money crosses the boundary as integer minor units (`reintegra.money.Money`); any
  conversion a provider needs happens inside the adapter, never in floats.
- A provider that is down, slow, rate-limiting or answering 5xx raises `RouteUnavailable`
  (the engine retries with the same key). A provider that refuses the order for good
  returns a report with status `failed` and one of `FAILURE_REASONS`.
- Reports never go backwards: the engine applies them through the payout state machine,
  which ignores stale ones; adapters just say what the provider says.
"""
from __future__ import annotations

import abc
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from reintegra.concurrency import each_at_once
from reintegra.money import Money

SUBMITTED, PAID, FAILED = "submitted", "paid", "failed"
REPORTED_STATUSES = frozenset({SUBMITTED, PAID, FAILED})

# Our reasons for a failed payout, whatever code the provider used.
FAILURE_REASONS = frozenset({
    "account_invalid",        # no such account, wallet, phone or IBAN
    "account_closed",         # it existed and no longer accepts money
    "account_holder_mismatch",  # the provider's holder name is not the payee's
    "limit_exceeded",         # a provider, wallet or card limit
    "voucher_expired",        # cash pickup: not collected in time
    "currency_not_supported",
    "provider_rejected",      # refused, with no more specific reason
})


class RouteUnavailable(Exception):
    """The provider could not be asked or did not answer: try again later, same key."""

    def __init__(self, message: str, retry_after_seconds: float | None = None):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Payee:
    """Who receives the money and where: `details` are the route's validated fields
    (e.g. `{"phone": "+2207000001", "operator": "afrimoney"}` for mobile money)."""
    id: str
    name: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PayoutOrder:
    payout_id: str
    idempotency_key: str
    amount: Money
    payee: Payee
    reference: str  # shown to the payee and on the provider's statement; matched at reconciliation
    # Paid in another currency than the programme's: `amount` is in the payout currency,
    # converted at release (service_layer/exchange_rates.py); these say from what and at which
    # rate (units of the payout currency per unit of the programme's, as decimal text).
    programme_amount: Money | None = None
    exchange_rate: str | None = None
    voucher_expires_at: datetime.datetime | None = None  # cash pickup: the programme's expiry


@dataclass(frozen=True)
class ProviderReport:
    status: str  # one of REPORTED_STATUSES
    provider_reference: str | None = None
    failure_reason: str | None = None  # one of FAILURE_REASONS when status is failed
    # Route-specific facts the payee needs, e.g. a cash voucher's code and expiry.
    collection: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.status not in REPORTED_STATUSES:
            raise ValueError(f"unknown reported status {self.status!r}")
        if (self.status == FAILED) != (self.failure_reason is not None):
            raise ValueError("a failure reason goes with status failed, and only with it")
        if self.failure_reason is not None and self.failure_reason not in FAILURE_REASONS:
            raise ValueError(f"unknown failure reason {self.failure_reason!r}")


# A route that calls its provider once per order is handed this many rounds of calls at a
# time (see `orders_per_submission`).
ROUNDS_PER_SUBMISSION = 4


class PayoutRoute(abc.ABC):
    """One way of paying a payee. Adapters hold their own HTTP clients and credentials."""

    name: str
    # Calls in flight at once when the route calls its provider once per order (no bulk
    # API): set per route in configuration, within the provider's rate limit.
    calls_at_once: int = 1

    @property
    def orders_per_submission(self) -> int | None:
        """How many orders `submit_many` is handed at a time; None: a whole chunk (a route
        with a bulk API overrides this). Calling once per order, a chunk of 500 can take
        minutes, longer than the lease its payouts were claimed with, and a lease that ran
        out would have the sweeper submit them again (same keys: harmless, but in vain); so
        such a route gets a few rounds of calls at a time and the runner renews the lease of
        the orders still waiting in between."""
        return ROUNDS_PER_SUBMISSION * max(self.calls_at_once, 1)

    @abc.abstractmethod
    def submit(self, order: PayoutOrder) -> ProviderReport:
        """Ask the provider to pay `order`; idempotent on its key (see the module rules)."""

    @abc.abstractmethod
    def fetch_status(self, order: PayoutOrder) -> ProviderReport:
        """What the provider says now about `order`, found by its idempotency key or
        reference. Raises `RouteUnavailable` when it cannot be asked, and `LookupError`
        when the provider has never seen the order (so it is safe to submit it)."""

    def submit_many(self, orders: list[PayoutOrder]) -> dict[str, "ProviderReport | RouteUnavailable"]:
        """`submit` for many orders at once, by payout id: each answer is a report or the
        `RouteUnavailable` raised for that order. Up to `calls_at_once` calls in flight, one
        payee's orders one after another (a first payout may set up the payee's account at
        the provider). Override when the provider has a bulk API."""
        def submit_each(orders_of_one_payee: list[PayoutOrder]) -> dict:
            answers: dict[str, ProviderReport | RouteUnavailable] = {}
            for order in orders_of_one_payee:
                try:
                    answers[order.payout_id] = self.submit(order)
                except RouteUnavailable as unavailable:
                    answers[order.payout_id] = unavailable
            return answers
        return _merged(each_at_once(submit_each, _by_payee(orders), self.calls_at_once))

    def fetch_many(self, orders: list[PayoutOrder]) -> dict[str, "ProviderReport | None"]:
        """`fetch_status` for many orders, by payout id, `calls_at_once` calls in flight;
        None for an order the provider has never seen. Raises `RouteUnavailable` when the
        provider cannot be asked."""
        def fetch_each(orders_of_one_payee: list[PayoutOrder]) -> dict:
            answers: dict[str, ProviderReport | None] = {}
            for order in orders_of_one_payee:
                try:
                    answers[order.payout_id] = self.fetch_status(order)
                except LookupError:
                    answers[order.payout_id] = None
            return answers
        return _merged(each_at_once(fetch_each, _by_payee(orders), self.calls_at_once))

    def account_holder_name(self, payee: Payee) -> str | None:
        """The name the provider holds for the payee's account, to confirm the payee
        before paying; None when this route cannot look it up."""
        return None


def _by_payee(orders: list[PayoutOrder]) -> list[list[PayoutOrder]]:
    grouped: dict[str, list[PayoutOrder]] = defaultdict(list)
    for order in orders:
        grouped[order.payee.id].append(order)
    return list(grouped.values())


def _merged(answers: list[dict]) -> dict:
    merged: dict = {}
    for some in answers:
        merged.update(some)
    return merged
