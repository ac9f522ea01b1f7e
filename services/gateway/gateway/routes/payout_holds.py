"""Payouts held for review before paying (the payee's name did not match the provider's)."""
from __future__ import annotations

PATHS: dict = {}


class PayoutHoldRoutes:
    pass
