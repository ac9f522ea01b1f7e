"""Provider webhooks (Stripe), verified before anything is applied."""
from __future__ import annotations

PATHS: dict = {}


class WebhookRoutes:
    pass
