"""Provider webhooks (Stripe), verified before anything is applied.

No bearer token: Stripe signs each delivery instead. The gateway does not read or verify
it (only payments talks to Stripe): the exact bytes, base64-encoded so that not one changes
on the way, and the `Stripe-Signature` header go to payments, which verifies them with the
replay tolerance on and applies the event once by its id. A rejected delivery is a 400 with
the reason; Stripe retries any non-2xx, and a genuine event arrives again.
"""
from __future__ import annotations

import base64

from nameko.web.handlers import http

from gateway.openapi import describe
from gateway.responses import api, json_response

STRIPE_PATH = "/api/v1/webhooks/stripe"


class WebhookRoutes:
    @http("POST", STRIPE_PATH)
    @api
    def receive_stripe_webhook(self, request):
        payload = base64.b64encode(request.get_data()).decode("ascii")
        return json_response(self.payments.receive_stripe_webhook(
            payload, request.headers.get("Stripe-Signature")))


PATHS: dict = {
    STRIPE_PATH: {"post": describe(
        "A Stripe webhook delivery (signed with Stripe-Signature; transfer.*, payout.*, "
        "topup.*, account.updated, issuing_card.*): applied once by event id; 400 when the "
        "signature is missing, wrong or older than the replay tolerance", (), body=True)},
}
