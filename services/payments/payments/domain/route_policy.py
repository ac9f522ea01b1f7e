"""Which payout routes a payee may use, where, and in which currency.

Routes per return country are programme configuration (`PAYOUT_COUNTRY_ROUTES` in the
payments config): a mapping from ISO country code to route names, where `"*"` stands for
every country without an entry of its own (an entry of its own replaces `"*"`, it does not
add to it). A programme that configures nothing restricts nothing: every route is offered
everywhere (`DEFAULT_ALLOWED_ROUTES`), and which routes can actually be carried is the
engine's `PAYOUT_ROUTES`. Mobile money needs its operators configured per country and
prepaid cards need Stripe Issuing in the region, so a programme usually names the countries
where it offers them:

    {"*": ["bank_account", "cash_pickup", "supplier", "third_party"],
     "GM": ["mobile_money", "cash_pickup", "supplier", "third_party"]}

A supplier or a trusted third party is paid through `bank_account` or `mobile_money`; both
its own kind of route (`supplier`, `third_party`) and that carrier must be offered in the
country. A beneficiary may use any route meant for them (bank, mobile money, cash, card).

A payout in a currency other than the programme's carries the exchange rate fixed when its
batch is released (`fix_rate_at_release`); without a rate for that currency it is refused
with `ExchangeRateRequired`, which names the currency.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable, Mapping

from reintegra.money import Money

from .exchange_rates import ExchangeRate, MissingRate, RateBook, convert
from .payout_methods import (BANK_ACCOUNT, CARRIER_ROUTES, CASH_PICKUP, MOBILE_MONEY, PREPAID_CARD, ROUTES,
                             SUPPLIER, THIRD_PARTY)
from .payees import PayeeKind

ANY_COUNTRY = "*"
DEFAULT_ALLOWED_ROUTES: Mapping[str, tuple[str, ...]] = {ANY_COUNTRY: ROUTES}
ROUTES_BY_PAYEE_KIND: Mapping[PayeeKind, tuple[str, ...]] = {
    PayeeKind.BENEFICIARY: (BANK_ACCOUNT, MOBILE_MONEY, CASH_PICKUP, PREPAID_CARD),
    PayeeKind.SUPPLIER: CARRIER_ROUTES,
    PayeeKind.THIRD_PARTY: CARRIER_ROUTES,
}
# The route of the payee's own kind, offered (or not) per country like any other.
_KIND_ROUTE = {PayeeKind.SUPPLIER: SUPPLIER, PayeeKind.THIRD_PARTY: THIRD_PARTY}


class InvalidRouteConfiguration(ValueError):
    pass


class ExchangeRateRequired(LookupError):
    """A payout in another currency than the programme's, with no rate to fix at release."""

    def __init__(self, currency: str, released_on: datetime.date):
        super().__init__(f"a payout in {currency} needs an exchange rate fixed when its batch is released, "
                         f"and there is none for {currency} on or before {released_on.isoformat()}: "
                         "import the ECB rates or have finance enter one")
        self.currency = currency


class RoutePolicy:
    """The routes a programme offers per return country (see the module docstring)."""

    def __init__(self, allowed_routes: Mapping[str, Iterable[str]] = DEFAULT_ALLOWED_ROUTES):
        self._allowed = {country: tuple(routes) for country, routes in allowed_routes.items()}
        _check_configuration(self._allowed)

    def routes_in(self, country: str) -> tuple[str, ...]:
        return self._allowed.get(country, self._allowed.get(ANY_COUNTRY, ()))

    def refusals(self, kind: PayeeKind, route: str, country: str) -> list[str]:
        """Why `kind` may not be paid by `route` in return `country` ([] if it may)."""
        if route not in ROUTES_BY_PAYEE_KIND[kind]:
            return [f"a {kind.value} is paid by {' or '.join(ROUTES_BY_PAYEE_KIND[kind])}, not {route}"]
        offered = self.routes_in(country)
        needed = [_KIND_ROUTE[kind], route] if kind in _KIND_ROUTE else [route]
        return [f"{name} is not offered in {country}" for name in needed if name not in offered]


def _check_configuration(allowed: Mapping[str, tuple[str, ...]]) -> None:
    for country, routes in allowed.items():
        if country != ANY_COUNTRY and not (len(country) == 2 and country.isalpha() and country.isupper()):
            raise InvalidRouteConfiguration(f"not a country code (or '*'): {country!r}")
        unknown = sorted(set(routes) - set(ROUTES))
        if unknown:
            raise InvalidRouteConfiguration(f"unknown routes for {country}: {', '.join(unknown)}")


def requires_exchange_rate(payout_currency: str, programme_currency: str) -> bool:
    return payout_currency != programme_currency


@dataclass(frozen=True)
class FixedPayoutAmount:
    """What a payout pays, in its currency, and the rate fixed for it (None: no conversion)."""
    amount: Money
    rate: ExchangeRate | None


def fix_rate_at_release(amount: Money, payout_currency: str, rates: RateBook,
                        released_on: datetime.date) -> FixedPayoutAmount:
    """The payout amount in `payout_currency`, with the rate that applies on the day its batch
    is released. `amount` is in the programme's currency (EUR: rates are EUR-based). The payout
    keeps this rate through every retry; a later rate never changes what it pays."""
    if not requires_exchange_rate(payout_currency, amount.currency):
        return FixedPayoutAmount(amount, None)
    try:
        local, rate = convert(amount, payout_currency, rates, released_on)
    except MissingRate:
        raise ExchangeRateRequired(payout_currency, released_on) from None
    return FixedPayoutAmount(local, rate)
