"""Single payouts: re-route or return a failed one."""
from __future__ import annotations

PATHS: dict = {}


class PayoutRoutes:
    pass
