"""Builds the payout routes named in configuration (PAYOUT_ROUTES); code never picks one.

    PAYOUT_ROUTES:
      mobile_money: {adapter: sandbox_partner, url: http://127.0.0.1:8090, token: ..., timeout: 10}
      cash_pickup:  {adapter: sandbox_partner, url: http://127.0.0.1:8090, token: ...}
"""
from __future__ import annotations

from payments.adapters.routes.partner import PartnerRoute
from payments.service_layer.payout_route import PayoutRoute


def _sandbox_partner(name: str, settings: dict) -> PayoutRoute:
    return PartnerRoute(settings["url"], token=settings.get("token"),
                        api_user=settings.get("api_user"), api_key=settings.get("api_key"),
                        route=name, timeout=float(settings.get("timeout", 10)),
                        bulk=str(settings.get("bulk", True)).lower() not in ("false", "0", "no"))


ADAPTERS = {"sandbox_partner": _sandbox_partner}


def build_routes(config: dict) -> dict[str, PayoutRoute]:
    routes = {}
    for name, settings in (config.get("PAYOUT_ROUTES") or {}).items():
        adapter = ADAPTERS.get(settings.get("adapter"))
        if adapter is None:
            raise ValueError(f"payout route {name}: unknown adapter {settings.get('adapter')!r}")
        routes[name] = adapter(name, settings)
    return routes
