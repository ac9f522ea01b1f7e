"""Payees of a case and third-party authorisations."""
from __future__ import annotations

PATHS: dict = {}


class PayeeRoutes:
    pass
