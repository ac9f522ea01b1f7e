"""Builds the payout routes named in configuration (PAYOUT_ROUTES); code never picks one.

    PAYOUT_ROUTES:
      mobile_money: {adapter: sandbox_partner, url: http://127.0.0.1:8090, token: ..., timeout: 10}
      cash_pickup:  {adapter: sandbox_partner, url: http://127.0.0.1:8090, token: ...}
      bank_account: {adapter: stripe_bank, api_base: https://api.stripe.com, api_key: sk_...,
                     webhook_secret: whsec_..., timeout: 30}
      prepaid_card: {adapter: stripe_card, api_base: ..., api_key: ..., webhook_secret: ...,
                     billing_address: {line1: ..., city: ..., postal_code: ..., country: PT}}

Both Stripe routes use one Stripe account, hence one webhook endpoint and signing secret.

Every route also takes `calls_at_once` (default 4): how many provider calls it makes at once
where it calls once per order (Stripe, cash pickup, a partner without bulk endpoints); keep
it within the provider's rate limit (Stripe: 25 requests a second in test mode, 100 live,
and a Stripe payout is four to six requests).
"""
from __future__ import annotations

from payments.adapters.routes.partner import PartnerRoute
from payments.adapters.routes.stripe_bank import StripeBankRoute
from payments.adapters.routes.stripe_card import StripeCardRoute
from payments.adapters.routes.stripe_gateway import StripeGateway
from payments.adapters.routes.stripe_webhooks import DEFAULT_TOLERANCE_SECONDS, StripeWebhooks
from payments.service_layer.payout_route import PayoutRoute

STRIPE_ADAPTERS = ("stripe_bank", "stripe_card")
DEFAULT_CALLS_AT_ONCE = 4


def _sandbox_partner(name: str, settings: dict) -> PayoutRoute:
    return PartnerRoute(settings["url"], token=settings.get("token"),
                        api_user=settings.get("api_user"), api_key=settings.get("api_key"),
                        route=name, timeout=float(settings.get("timeout", 10)),
                        bulk=str(settings.get("bulk", True)).lower() not in ("false", "0", "no"))


def _stripe_gateway(settings: dict) -> StripeGateway:
    return StripeGateway(settings["api_key"], settings.get("api_base") or None,
                         max_network_retries=int(settings.get("max_network_retries", 2)),
                         timeout_seconds=float(settings.get("timeout", 30)))


def _stripe_bank(name: str, settings: dict) -> PayoutRoute:
    return StripeBankRoute(_stripe_gateway(settings),
                           terms_acceptance_ip=settings.get("terms_acceptance_ip") or "127.0.0.1")


def _stripe_card(name: str, settings: dict) -> PayoutRoute:
    return StripeCardRoute(_stripe_gateway(settings),
                           default_billing_address=dict(settings["billing_address"]))


ADAPTERS = {"sandbox_partner": _sandbox_partner, "stripe_bank": _stripe_bank,
            "stripe_card": _stripe_card}


def build_routes(config: dict) -> dict[str, PayoutRoute]:
    routes = {}
    for name, settings in (config.get("PAYOUT_ROUTES") or {}).items():
        adapter = ADAPTERS.get(settings.get("adapter"))
        if adapter is None:
            raise ValueError(f"payout route {name}: unknown adapter {settings.get('adapter')!r}")
        route = adapter(name, settings)
        route.calls_at_once = int(settings.get("calls_at_once") or DEFAULT_CALLS_AT_ONCE)
        routes[name] = route
    return routes


def build_stripe_webhooks(config: dict) -> StripeWebhooks | None:
    """The verifier of the Stripe routes' webhook endpoint; None when no route uses Stripe."""
    stripe_routes = [settings for settings in (config.get("PAYOUT_ROUTES") or {}).values()
                     if settings.get("adapter") in STRIPE_ADAPTERS]
    secrets = {settings.get("webhook_secret") for settings in stripe_routes}
    if not stripe_routes:
        return None
    if len(secrets) != 1 or not next(iter(secrets)):
        raise ValueError("the Stripe payout routes need one and the same webhook_secret")
    tolerance = int(stripe_routes[0].get("webhook_tolerance_seconds") or DEFAULT_TOLERANCE_SECONDS)
    return StripeWebhooks(secrets.pop(), tolerance)
