"""Stripe webhook deliveries read into `ProviderEvent`s: verified first, then mapped.

One endpoint receives every event of the platform account and of its connected recipient
accounts. `transfer.*` and `payout.*` report on bank payouts (`StripeBankRoute`), `topup.*`
on card fundings (`StripeCardRoute`); `account.updated`, `issuing_card.*` and the rest are
kept as facts (ids and states; names stay out).
"""
from __future__ import annotations

from datetime import datetime, timezone

from payments.service_layer.provider_events import EventRejected, ProviderEvent

from .stripe_bank import StripeBankRoute
from .stripe_card import StripeCardRoute
from .stripe_gateway import WebhookEvent, WebhookRejected, verify_webhook

DEFAULT_TOLERANCE_SECONDS = 300


class StripeWebhooks:
    def __init__(self, secret: str, tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS):
        if not secret:
            raise ValueError("Stripe webhooks need the endpoint's signing secret")
        self._secret = secret
        self._tolerance = tolerance_seconds

    def read(self, payload: bytes, signature_header: str | None) -> ProviderEvent:
        """The verified event; `EventRejected` for a delivery Stripe did not sign recently."""
        try:
            event = verify_webhook(payload, signature_header, self._secret, self._tolerance)
        except WebhookRejected as rejected:
            raise EventRejected(str(rejected)) from None
        found = StripeBankRoute.report_from_event(event) or StripeCardRoute.report_from_event(event)
        return ProviderEvent(
            provider="stripe", id=event.id, type=event.type,
            created=datetime.fromtimestamp(event.created, timezone.utc),
            object_id=event.object.get("id"), payout_id=found.payout_id if found else None,
            report=found.report if found else None, facts=_facts(event))


def _facts(event: WebhookEvent) -> dict:
    obj = event.object
    facts = {"object": obj.get("object"), "account": event.account}
    if obj.get("object") == "account":
        facts.update(payouts_enabled=obj.get("payouts_enabled"),
                     transfers=(obj.get("capabilities") or {}).get("transfers"),
                     disabled_reason=(obj.get("requirements") or {}).get("disabled_reason"))
    elif obj.get("object") == "issuing.card":
        card = StripeCardRoute.card_status_from_event(event)
        facts.update(status=obj.get("status"), cancellation_reason=obj.get("cancellation_reason"),
                     payee_id=card.payee_id if card else None)
    else:
        facts.update(status=obj.get("status"), reversed=obj.get("reversed"),
                     failure_code=obj.get("failure_code"))
    return {key: value for key, value in facts.items() if value is not None}
