"""Budget, instalments, payout batches and payout methods (payments; API.md)."""
from __future__ import annotations


class PaymentRoutes:
    pass


PATHS: dict = {}
