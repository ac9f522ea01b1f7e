"""The one module that talks to Stripe: a thin wrapper around `stripe.StripeClient`.

Why a wrapper: the payout routes must not see SDK objects or SDK exceptions. Here, and only
here, `Money` becomes Stripe's integer amount and lower-case currency, every mutating call
carries the caller's idempotency key, Stripe's errors become `RouteUnavailable` (try again,
same key), `StripeRefusal` (one of our `FAILURE_REASONS`), `IdempotencyConflict` or
`StripeConfigurationError`, and answers become the small frozen dataclasses below.
"""
from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import stripe

from reintegra.money import Money, minor_unit_exponent

from payments import metrics
from payments.service_layer.payout_route import ProviderReport, RouteUnavailable

# Where Stripe's amount unit differs from ISO 4217's minor unit (Stripe's "special cases":
# these are sent as two-decimal amounts for backwards compatibility).
_STRIPE_EXPONENTS = {"ISK": 2, "UGX": 2}
# Stripe's three-decimal currencies only take amounts ending in 0.
_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})

# Stripe's error and failure codes → our reasons. Anything else refused is "provider_rejected".
_REASONS = {
    "account_number_invalid": "account_invalid", "routing_number_invalid": "account_invalid",
    "invalid_account_number": "account_invalid", "no_account": "account_invalid",
    "bank_account_unusable": "account_invalid", "bank_account_exists": "account_invalid",
    "resource_missing": "account_invalid", "iban_invalid": "account_invalid",
    "account_closed": "account_closed", "bank_ownership_changed": "account_closed",
    "incorrect_account_holder_name": "account_holder_mismatch",
    "amount_too_large": "limit_exceeded", "card_velocity_exceeded": "limit_exceeded",
    "spending_limit_exceeded": "limit_exceeded", "transfer_amount_limit": "limit_exceeded",
    "invalid_currency": "currency_not_supported", "currency_not_supported": "currency_not_supported",
    "payout_currency_not_supported": "currency_not_supported",
}


class StripeRefusal(Exception):
    """Stripe refused the request for good; `reason` is one of our FAILURE_REASONS."""

    def __init__(self, reason: str, code: str | None, message: str):
        super().__init__(f"{reason} (stripe code {code}): {message}")
        self.reason, self.code = reason, code


class IdempotencyConflict(Exception):
    """Our key was already used with other parameters: a bug, never retried or failed silently."""


class StripeConfigurationError(Exception):
    """Wrong or missing API key, or a feature the Stripe account does not have."""


class WebhookRejected(Exception):
    """A webhook delivery that must have no effect: unsigned, tampered, stale or not ours."""


@dataclass(frozen=True)
class BankAccount:
    id: str
    country: str
    currency: str
    last4: str
    account_holder_name: str | None
    default_for_currency: bool


@dataclass(frozen=True)
class Account:
    id: str
    country: str
    transfers_active: bool
    payouts_enabled: bool
    metadata: dict
    bank_accounts: tuple[BankAccount, ...] = ()


@dataclass(frozen=True)
class Transfer:
    id: str
    amount: Money
    destination: str
    reversed: bool
    metadata: dict


@dataclass(frozen=True)
class Payout:
    id: str
    status: str  # pending, in_transit, paid, failed, canceled
    amount: Money
    failure_code: str | None
    metadata: dict


@dataclass(frozen=True)
class Cardholder:
    id: str
    name: str
    status: str
    metadata: dict


@dataclass(frozen=True)
class Card:
    id: str
    cardholder_id: str
    status: str  # inactive, active, canceled
    last4: str
    spending_limit: Money | None  # the all-time limit, when one is set
    metadata: dict


@dataclass(frozen=True)
class Topup:
    id: str
    status: str  # pending, succeeded, failed, canceled, reversed
    amount: Money
    failure_code: str | None
    metadata: dict


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: int
    object: dict
    account: str | None = None  # the connected account, for Connect events
    previous: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EventReport:
    """What a Stripe webhook says about one of our payouts (found by its metadata)."""
    event_id: str
    payout_id: str
    report: ProviderReport


def derived_key(*parts: str) -> str:
    """A deterministic Stripe idempotency key (at most 255 characters) for derived calls."""
    return "reintegra/" + hashlib.sha256("/".join(parts).encode()).hexdigest()


def to_stripe_amount(money: Money) -> tuple[int, str]:
    """(amount in Stripe's unit, lower-case currency); the only Money → Stripe conversion."""
    shift = _STRIPE_EXPONENTS.get(money.currency, minor_unit_exponent(money.currency)) - \
        minor_unit_exponent(money.currency)
    amount = money.amount * 10 ** shift if shift >= 0 else None
    if amount is None or (money.currency in _THREE_DECIMAL and amount % 10):
        raise ValueError(f"{money} cannot be expressed in Stripe's unit for {money.currency}")
    return amount, money.currency.lower()


def from_stripe_amount(amount: int, currency: str) -> Money:
    code = currency.upper()
    shift = _STRIPE_EXPONENTS.get(code, minor_unit_exponent(code)) - minor_unit_exponent(code)
    return Money(amount // 10 ** shift, code)


def reason_for(code: str | None, decline_code: str | None = None, param: str | None = None) -> str:
    """Our failure reason for a Stripe error or payout failure code."""
    for candidate in (decline_code, code):
        if candidate in _REASONS:
            return _REASONS[candidate]
    if param and param.split("[")[0] == "currency":
        return "currency_not_supported"
    return "provider_rejected"


def verify_webhook(payload: bytes, signature_header: str | None, secret: str,
                   tolerance: int = 300) -> WebhookEvent:
    """The event in a webhook delivery, if Stripe signed exactly these bytes recently.

    Raises `WebhookRejected` for a missing header, a changed byte, another secret or a
    timestamp older than `tolerance` seconds (replays of captured deliveries).
    """
    if not signature_header:
        raise WebhookRejected("missing Stripe-Signature header")
    if not tolerance or tolerance <= 0:
        raise ValueError("webhook verification needs a positive replay tolerance")
    try:
        stripe.Webhook.construct_event(payload, signature_header, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError as refused:
        raise WebhookRejected(f"signature refused: {refused.user_message}") from None
    except ValueError as malformed:
        raise WebhookRejected(f"payload is not a JSON event: {malformed}") from None
    event = json.loads(payload)
    return WebhookEvent(id=event["id"], type=event["type"], created=event["created"],
                        object=event["data"]["object"], account=event.get("account"),
                        previous=event["data"].get("previous_attributes") or {})


class StripeGateway:
    """Stripe's API as our routes need it; every method is one call (or one listing)."""

    def __init__(self, api_key: str, base_url: str | None = None, *, max_network_retries: int = 2,
                 timeout_seconds: float = 30.0, stripe_version: str | None = None):
        options = {"base_addresses": {"api": base_url}} if base_url else {}
        self._client = stripe.StripeClient(
            api_key, max_network_retries=max_network_retries, stripe_version=stripe_version,
            http_client=stripe.RequestsClient(timeout=timeout_seconds), **options)
        self._v1 = self._client.v1

    # Connect recipient accounts and their bank accounts

    def create_account(self, params: dict, idempotency_key: str) -> Account:
        with _translated_errors("create_account"):
            return _account(self._v1.accounts.create(params, _writing(idempotency_key)))

    def retrieve_account(self, account_id: str) -> Account:
        with _translated_errors("retrieve_account"):
            return _account(self._v1.accounts.retrieve(account_id))

    def find_account(self, metadata_key: str, value: str) -> Account | None:
        """The connected account whose metadata has `metadata_key` = `value` (a listing scan)."""
        with _translated_errors("find_account"):
            for account in self._v1.accounts.list({"limit": 100}).auto_paging_iter():
                if _metadata(account).get(metadata_key) == value:
                    return _account(account)
        return None

    def add_bank_account(self, account_id: str, bank: dict, idempotency_key: str) -> BankAccount:
        params = {"external_account": {"object": "bank_account", **bank}, "default_for_currency": True}
        with _translated_errors("add_bank_account"):
            return _bank_account(self._v1.accounts.external_accounts.create(
                account_id, params, _writing(idempotency_key)))

    # Transfers to connected accounts and payouts from them

    def create_transfer(self, amount: Money, destination: str, transfer_group: str, metadata: dict,
                        idempotency_key: str, description: str | None = None) -> Transfer:
        value, currency = to_stripe_amount(amount)
        params = {"amount": value, "currency": currency, "destination": destination,
                  "transfer_group": transfer_group, "metadata": metadata}
        if description:
            params["description"] = description
        with _translated_errors("create_transfer"):
            return _transfer(self._v1.transfers.create(params, _writing(idempotency_key)))

    def reverse_transfer(self, transfer_id: str, idempotency_key: str) -> Transfer:
        """Take back what is left of a transfer (its money returns to the platform)."""
        with _translated_errors("reverse_transfer"):
            self._v1.transfers.reversals.create(transfer_id, {}, _writing(idempotency_key))
            return _transfer(self._v1.transfers.retrieve(transfer_id))

    def transfers_in_group(self, transfer_group: str) -> list[Transfer]:
        with _translated_errors("transfers_in_group"):
            listed = self._v1.transfers.list({"transfer_group": transfer_group, "limit": 100})
            return [_transfer(transfer) for transfer in listed.auto_paging_iter()]

    def create_payout(self, account_id: str, amount: Money, metadata: dict, idempotency_key: str,
                      statement_descriptor: str | None = None) -> Payout:
        value, currency = to_stripe_amount(amount)
        params = {"amount": value, "currency": currency, "metadata": metadata}
        if statement_descriptor:
            params["statement_descriptor"] = statement_descriptor[:22]
        with _translated_errors("create_payout"):
            return _payout(self._v1.payouts.create(
                params, {**_writing(idempotency_key), "stripe_account": account_id}))

    def find_payout(self, account_id: str, metadata_key: str, value: str) -> Payout | None:
        with _translated_errors("find_payout"):
            listed = self._v1.payouts.list({"limit": 100}, {"stripe_account": account_id})
            for payout in listed.auto_paging_iter():
                if _metadata(payout).get(metadata_key) == value:
                    return _payout(payout)
        return None

    # Issuing cardholders, cards and Issuing balance top-ups

    def create_cardholder(self, params: dict, idempotency_key: str) -> Cardholder:
        with _translated_errors("create_cardholder"):
            return _cardholder(self._v1.issuing.cardholders.create(params, _writing(idempotency_key)))

    def find_cardholder(self, metadata_key: str, value: str) -> Cardholder | None:
        with _translated_errors("find_cardholder"):
            for holder in self._v1.issuing.cardholders.list({"limit": 100}).auto_paging_iter():
                if _metadata(holder).get(metadata_key) == value:
                    return _cardholder(holder)
        return None

    def create_card(self, cardholder_id: str, currency: str, metadata: dict,
                    idempotency_key: str) -> Card:
        params = {"cardholder": cardholder_id, "currency": currency.lower(), "type": "virtual",
                  "metadata": metadata}
        with _translated_errors("create_card"):
            return _card(self._v1.issuing.cards.create(params, _writing(idempotency_key)))

    def cards_of(self, cardholder_id: str) -> list[Card]:
        with _translated_errors("cards_of"):
            listed = self._v1.issuing.cards.list({"cardholder": cardholder_id, "limit": 100})
            return [_card(card) for card in listed.auto_paging_iter()]

    def update_card(self, card_id: str, idempotency_key: str, *, spending_limit: Money | None = None,
                    status: str | None = None, metadata: dict | None = None) -> Card:
        params: dict = {}
        if spending_limit is not None:
            value, _ = to_stripe_amount(spending_limit)
            params["spending_controls"] = {"spending_limits": [{"amount": value, "interval": "all_time"}]}
        if status:
            params["status"] = status
        if metadata:
            params["metadata"] = metadata
        with _translated_errors("update_card"):
            return _card(self._v1.issuing.cards.update(card_id, params, _writing(idempotency_key)))

    def create_topup(self, amount: Money, metadata: dict, idempotency_key: str,
                     description: str | None = None) -> Topup:
        value, currency = to_stripe_amount(amount)
        params = {"amount": value, "currency": currency, "destination_balance": "issuing",
                  "metadata": metadata}
        if description:
            params["description"] = description
        with _translated_errors("create_topup"):
            return _topup(self._v1.topups.create(params, _writing(idempotency_key)))

    def retrieve_topup(self, topup_id: str) -> Topup:
        with _translated_errors("retrieve_topup"):
            return _topup(self._v1.topups.retrieve(topup_id))

    def find_topup(self, metadata_key: str, value: str) -> Topup | None:
        with _translated_errors("find_topup"):
            for topup in self._v1.topups.list({"limit": 100}).auto_paging_iter():
                if _metadata(topup).get(metadata_key) == value:
                    return _topup(topup)
        return None


def _writing(idempotency_key: str) -> dict:
    if not idempotency_key:
        raise ValueError("every mutating Stripe call needs our idempotency key")
    return {"idempotency_key": idempotency_key}


@contextmanager
def _translated_errors(call: str):
    """Stripe's errors as the port's, and each call's latency and failures as metrics."""
    started = time.perf_counter()
    try:
        yield
    except stripe.APIConnectionError as lost:
        metrics.PROVIDER_ERRORS.labels("stripe", call, "connection").inc()
        raise RouteUnavailable(f"Stripe could not be reached: {lost.user_message}") from None
    except stripe.StripeError as error:
        metrics.PROVIDER_ERRORS.labels("stripe", call, str(error.http_status or 0)).inc()
        raise _translated(error) from None
    finally:
        metrics.PROVIDER_LATENCY.labels("stripe", call).observe(time.perf_counter() - started)


def _translated(error: stripe.StripeError) -> Exception:
    status = error.http_status or 0
    headers = {name.lower(): value for name, value in (error.headers or {}).items()}
    if status == 429 or status >= 500 or headers.get("stripe-should-retry") == "true":
        return RouteUnavailable(f"Stripe answered {status}: {error.user_message}",
                                _retry_after(headers.get("retry-after")))
    if isinstance(error, stripe.IdempotencyError):
        return IdempotencyConflict(error.user_message)
    if isinstance(error, (stripe.AuthenticationError, stripe.PermissionError)):
        return StripeConfigurationError(error.user_message)
    details = error.error
    code = getattr(details, "code", None) or error.code
    if code == "balance_insufficient":
        # Our platform balance, not the payee: nothing moved, finance tops up, we retry.
        return RouteUnavailable(f"Stripe platform balance too low: {error.user_message}")
    return StripeRefusal(reason_for(code, getattr(details, "decline_code", None),
                                    getattr(details, "param", None)), code, error.user_message or "")


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _plain(obj) -> dict:
    """An SDK object as plain data; nothing past this module sees the SDK's types."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def _bank_account(bank) -> BankAccount:
    bank = _plain(bank)
    return BankAccount(id=bank["id"], country=bank["country"], currency=bank["currency"].upper(),
                       last4=bank["last4"], account_holder_name=bank.get("account_holder_name"),
                       default_for_currency=bool(bank.get("default_for_currency")))


def _account(account) -> Account:
    account = _plain(account)
    banks = (account.get("external_accounts") or {}).get("data", [])
    return Account(id=account["id"], country=account["country"],
                   transfers_active=(account.get("capabilities") or {}).get("transfers") == "active",
                   payouts_enabled=bool(account.get("payouts_enabled")),
                   metadata=dict(account.get("metadata") or {}),
                   bank_accounts=tuple(_bank_account(bank) for bank in banks
                                       if bank["object"] == "bank_account"))


def _transfer(transfer) -> Transfer:
    transfer = _plain(transfer)
    return Transfer(id=transfer["id"], amount=from_stripe_amount(transfer["amount"], transfer["currency"]),
                    destination=_id_of(transfer["destination"]), reversed=bool(transfer.get("reversed")),
                    metadata=dict(transfer.get("metadata") or {}))


def _payout(payout) -> Payout:
    payout = _plain(payout)
    return Payout(id=payout["id"], status=payout["status"],
                  amount=from_stripe_amount(payout["amount"], payout["currency"]),
                  failure_code=payout.get("failure_code"), metadata=dict(payout.get("metadata") or {}))


def _cardholder(holder) -> Cardholder:
    holder = _plain(holder)
    return Cardholder(id=holder["id"], name=holder["name"], status=holder["status"],
                      metadata=dict(holder.get("metadata") or {}))


def _card(card) -> Card:
    card = _plain(card)
    limits = [limit for limit in ((card.get("spending_controls") or {}).get("spending_limits") or [])
              if limit["interval"] == "all_time"]
    return Card(id=card["id"], cardholder_id=_id_of(card["cardholder"]), status=card["status"],
                last4=card["last4"],
                spending_limit=from_stripe_amount(limits[0]["amount"], card["currency"]) if limits else None,
                metadata=dict(card.get("metadata") or {}))


def _topup(topup) -> Topup:
    topup = _plain(topup)
    return Topup(id=topup["id"], status=topup["status"],
                 amount=from_stripe_amount(topup["amount"], topup["currency"]),
                 failure_code=topup.get("failure_code"), metadata=dict(topup.get("metadata") or {}))


def _id_of(value) -> str:
    return value if isinstance(value, str) else value["id"]


def _metadata(obj) -> dict:
    return dict(_plain(obj).get("metadata") or {})
