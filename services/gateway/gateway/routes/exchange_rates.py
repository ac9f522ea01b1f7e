"""Exchange rates: ECB file import and manual entry."""
from __future__ import annotations

PATHS: dict = {}


class ExchangeRateRoutes:
    pass
