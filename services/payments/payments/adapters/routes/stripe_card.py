"""Prepaid card payouts through Stripe Issuing.

Each beneficiary gets one Issuing cardholder (found again by its `payee_id` metadata) and one
virtual card per currency. Paying an instalment is funding it: a top-up of the platform's
Issuing balance for the instalment amount (our idempotency key, metadata `payout_id`), then
the card's all-time spending limit is raised by exactly that amount and the card activated.
The card's metadata records each funded payout (`p:<payout id>` = `<top-up id>:<amount>`),
so the limit is always the sum of what was funded for this card and a retry never adds twice.

Status: top-up pending → submitted; succeeded → paid (the money is spendable); failed or
canceled → failed. Card status changes (lost, stolen, canceled) arrive as `issuing_card.*`
webhooks: see `card_status_from_event`.
"""
from __future__ import annotations

from dataclasses import dataclass

from reintegra.money import Money

from payments.service_layer.payout_route import (
    FAILED, PAID, SUBMITTED, Payee, PayoutOrder, PayoutRoute, ProviderReport,
)

from .stripe_gateway import (
    Card, Cardholder, EventReport, StripeGateway, StripeRefusal, Topup, WebhookEvent, derived_key, reason_for,
)

PAYEE_KEY = "payee_id"
PAYOUT_KEY = "payout_id"
FUNDED_PREFIX = "p:"


@dataclass(frozen=True)
class CardStatus:
    payee_id: str
    card_id: str
    status: str  # inactive, active, canceled
    cancellation_reason: str | None = None


class StripeCardRoute(PayoutRoute):
    """Payee details: optional `billing_address` (`line1`, `city`, `postal_code`, `country`;
    default: the programme's office, since many returnees have no formal address),
    `first_name`/`last_name`, `email`, `phone`."""

    name = "prepaid_card"

    def __init__(self, gateway: StripeGateway, *, default_billing_address: dict):
        self._gateway = gateway
        self._default_address = default_billing_address
        self._cardholders: dict[str, Cardholder] = {}  # payee id → cardholder, as Stripe returned it

    def submit(self, order: PayoutOrder) -> ProviderReport:
        try:
            card = self._card(order.payee, order.amount.currency)
            funded = _funded(card)
            if order.payout_id in funded:
                topup = self._gateway.retrieve_topup(funded[order.payout_id][0])
            else:
                topup = self._gateway.create_topup(
                    order.amount, {PAYOUT_KEY: order.payout_id, PAYEE_KEY: order.payee.id, "card": card.id},
                    order.idempotency_key, description=order.reference)
                card = self._raise_limit(card, order, topup)
        except StripeRefusal as refused:
            return ProviderReport(FAILED, None, refused.reason)
        return _report(topup, card)

    def fetch_status(self, order: PayoutOrder) -> ProviderReport:
        card = self._existing_card(order.payee, order.amount.currency)
        funded = _funded(card) if card else {}
        if order.payout_id in funded:
            return _report(self._gateway.retrieve_topup(funded[order.payout_id][0]), card)
        topup = self._gateway.find_topup(PAYOUT_KEY, order.payout_id)
        if topup is None:
            raise LookupError(f"Stripe has no top-up for payout {order.payout_id}")
        return _report(topup, card)

    def account_holder_name(self, payee: Payee) -> str | None:
        """The cardholder's name on file, once the payee has a card."""
        holder = self._existing_cardholder(payee)
        return holder.name if holder else None

    @staticmethod
    def report_from_event(event: WebhookEvent) -> EventReport | None:
        """The report a verified `topup.*` event makes about one of our payouts."""
        obj = event.object
        payout_id = (obj.get("metadata") or {}).get(PAYOUT_KEY)
        if obj.get("object") != "topup" or payout_id is None:
            return None
        return EventReport(event.id, payout_id, _topup_report(obj["id"], obj["status"], obj.get("failure_code"),
                                                              {}))

    @staticmethod
    def card_status_from_event(event: WebhookEvent) -> CardStatus | None:
        """A beneficiary's card changed (activated, lost, stolen, canceled)."""
        obj = event.object
        if obj.get("object") != "issuing.card" or PAYEE_KEY not in (obj.get("metadata") or {}):
            return None
        return CardStatus(obj["metadata"][PAYEE_KEY], obj["id"], obj["status"], obj.get("cancellation_reason"))

    def _raise_limit(self, card: Card, order: PayoutOrder, topup: Topup) -> Card:
        funded_total = sum((Money(int(amount), order.amount.currency) for _, amount in _funded(card).values()),
                           Money.zero(order.amount.currency))
        return self._gateway.update_card(
            card.id, derived_key(order.idempotency_key, "card"), spending_limit=funded_total + order.amount,
            status="active", metadata={FUNDED_PREFIX + order.payout_id: f"{topup.id}:{order.amount.amount}"})

    def _card(self, payee: Payee, currency: str) -> Card:
        holder = self._existing_cardholder(payee) or self._new_cardholder(payee)
        cards = self._gateway.cards_of(holder.id)
        usable = [card for card in cards if card.status != "canceled" and card.metadata.get("currency") == currency]
        if usable:
            return usable[-1]
        # A lost or stolen card is canceled on Stripe; the replacement gets a key of its own.
        replaced = sum(1 for card in cards if card.metadata.get("currency") == currency)
        return self._gateway.create_card(holder.id, currency, {PAYEE_KEY: payee.id, "currency": currency},
                                         derived_key("card", payee.id, currency, str(replaced)))

    def _existing_card(self, payee: Payee, currency: str) -> Card | None:
        holder = self._existing_cardholder(payee)
        cards = self._gateway.cards_of(holder.id) if holder else []
        return next((card for card in cards if card.status != "canceled"
                     and card.metadata.get("currency") == currency), None)

    def _existing_cardholder(self, payee: Payee) -> Cardholder | None:
        if payee.id in self._cardholders:
            return self._cardholders[payee.id]
        holder = self._gateway.find_cardholder(PAYEE_KEY, payee.id)
        if holder:
            self._cardholders[payee.id] = holder
        return holder

    def _new_cardholder(self, payee: Payee) -> Cardholder:
        details = payee.details
        name = payee.name or " ".join(filter(None, [details.get("first_name"), details.get("last_name")]))
        if not name.strip():
            raise StripeRefusal("account_invalid", None, "a cardholder needs a name")
        *given, family = name.split()
        params = {
            "name": name, "type": "individual",
            "individual": {"first_name": details.get("first_name") or " ".join(given) or family,
                           "last_name": details.get("last_name") or family},
            "billing": {"address": details.get("billing_address") or self._default_address},
            "metadata": {PAYEE_KEY: payee.id},
        }
        if details.get("email"):
            params["email"] = details["email"]
        if details.get("phone"):
            params["phone_number"] = details["phone"]
        holder = self._gateway.create_cardholder(params, derived_key("cardholder", payee.id, repr(params)))
        self._cardholders[payee.id] = holder
        return holder


def _funded(card: Card) -> dict[str, tuple[str, str]]:
    """payout id → (top-up id, amount in minor units), from the card's metadata."""
    return {key[len(FUNDED_PREFIX):]: tuple(value.split(":", 1))
            for key, value in card.metadata.items() if key.startswith(FUNDED_PREFIX)}


def _report(topup: Topup, card: Card | None) -> ProviderReport:
    collection = {"card_id": card.id, "card_last4": card.last4} if card else {}
    return _topup_report(topup.id, topup.status, topup.failure_code, collection)


def _topup_report(topup_id: str, status: str, failure_code: str | None, collection: dict) -> ProviderReport:
    if status == "succeeded":
        return ProviderReport(PAID, topup_id, collection=collection)
    if status in ("failed", "canceled", "reversed"):
        return ProviderReport(FAILED, topup_id, reason_for(failure_code) if status == "failed"
                              else "provider_rejected", collection)
    return ProviderReport(SUBMITTED, topup_id, collection=collection)
