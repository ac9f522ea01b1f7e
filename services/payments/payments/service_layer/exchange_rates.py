"""Exchange rates: the ECB's daily reference rates file, manual entry by finance, and the
rate fixed on each payout when its batch is released.

Which currency a payout is paid in is configuration (`PAYOUT_CURRENCIES`: route → return
country → currency); anything not listed is paid in the programme's currency. When a batch
is released, every payout in another currency gets the newest rate for that currency dated
on or before the release day and not older than `EXCHANGE_RATES.max_age_days` (default 7),
and its amount in that currency, rounded half-even to the currency's minor unit. That is
what the route pays, on every retry; a later rate never changes it. A release where one
payout has no usable rate is refused (422, naming the currency and the days looked at) and
changes nothing. Cash vouchers get their expiry fixed at the same moment (the programme's
`voucher_expiry_days` after the release), so every retry sends the partner the same one.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Mapping

import sqlalchemy as sa
from cerberus import Validator

from reintegra.bulk import in_chunks
from reintegra.contracts.errors import InvalidInput, RuleViolation, field_reasons
from reintegra.money import Money

from payments.adapters.clock import aware
from payments.adapters.exchange_rate_repository import (ExchangeRateRepository, PayoutTerms,
                                                        SavedRates, terms_of)
from payments.adapters.tables import beneficiary_cases, payout_batches, payouts, programmes
from payments.domain.exchange_rates import InvalidRates, manual_rate, parse_ecb_csv
from payments.domain.payout_methods import CASH_PICKUP
from payments.domain.route_policy import ExchangeRateRequired, fix_rate_at_release
from payments.service_layer import vouchers
from payments.service_layer.payout_route import PayoutOrder

DEFAULT_MAX_AGE_DAYS = 7

MANUAL_RATE_SCHEMA = {
    "currency": {"type": "string", "required": True, "regex": "^[A-Z]{3}$"},
    "rate": {"type": "string", "required": True, "regex": r"^\s*-?\d+(\.\d+)?\s*$"},
    "date": {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}$"},
    "note": {"type": "string", "nullable": True, "maxlength": 500},
}


@dataclass(frozen=True)
class PayoutCurrencySettings:
    """`PAYOUT_CURRENCIES` and `EXCHANGE_RATES` of the payments config."""
    currencies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def from_config(cls, config: dict) -> "PayoutCurrencySettings":
        rates = config.get("EXCHANGE_RATES") or {}
        currencies = {route: dict(by_country or {})
                      for route, by_country in (config.get("PAYOUT_CURRENCIES") or {}).items()}
        return cls(currencies, int(rates.get("max_age_days") or DEFAULT_MAX_AGE_DAYS))

    def currency_for(self, route: str, country: str | None, programme_currency: str) -> str:
        return self.currencies.get(route, {}).get(country) or programme_currency


# Rates in ---------------------------------------------------------------------------------

def import_ecb_file(uow, text: str, actor_id: str) -> dict:
    """Import the ECB's eurofxref.csv (one day) or eurofxref-hist.csv (many days)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("send the ECB reference rates file", fields={"csv": ["required"]})
    try:
        rates = parse_ecb_csv(text)
    except (InvalidRates, IndexError) as refused:
        raise InvalidInput(f"not an ECB reference rates file: {refused}",
                           fields={"csv": [str(refused)]}) from None
    saved = ExchangeRateRepository(uow.session).save(rates, note=f"ECB file imported by {actor_id}")
    return _import_answer(saved)


def enter_rate(uow, body: dict, actor_id: str) -> dict:
    """A rate entered by finance: {currency, rate (decimal text, never a number), date, note?}."""
    rate = _manual_rate(body, actor_id)
    ExchangeRateRepository(uow.session).save([rate], note=body.get("note"))
    return {"currency": rate.currency, "rate": str(rate.rate), "date": rate.date.isoformat(),
            "source": rate.source, "entered_by": actor_id, "note": body.get("note")}


def list_rates(session, currency: str | None = None, on: str | None = None) -> dict:
    day = _date(on, "date") if on else None
    return {"rates": ExchangeRateRepository(session).listing(currency or None, day)}


# Terms fixed at release -------------------------------------------------------------------

def fix_payout_terms(session, batch_id: str, settings: PayoutCurrencySettings) -> None:
    """Fix the payout currency, amount and rate, and a voucher's expiry, on the payouts of a
    batch just released; `RuleViolation` (and nothing written) when a currency has no usable
    rate."""
    released_at = aware(session.execute(sa.select(payout_batches.c.released_at).where(
        payout_batches.c.id == batch_id)).scalar_one())
    rows = _batch_payouts(session, batch_id)
    wanted = {row.id: settings.currency_for(row.route, row.return_country, row.programme_currency)
              for row in rows}
    oldest = released_at.date() - datetime.timedelta(days=settings.max_age_days)
    book = ExchangeRateRepository(session).book(set(wanted.values()), oldest, released_at.date())
    # Terms follow from the amount, the currencies, the route and the programme's voucher
    # expiry alone, and a batch repeats few of those: each is worked out once.
    worked_out: dict[tuple, PayoutTerms] = {}
    terms = {}
    for row in rows:
        key = (row.amount, row.currency, wanted[row.id], row.route, row.voucher_expiry_days)
        if key not in worked_out:
            worked_out[key] = _terms(row, wanted[row.id], book, released_at, oldest)
        terms[row.id] = worked_out[key]
    ExchangeRateRepository(session).fix_terms({payout_id: fixed for payout_id, fixed in terms.items()
                                               if fixed != PayoutTerms()})


def _batch_payouts(session, batch_id: str) -> list:
    return session.execute(
        sa.select(payouts.c.id, payouts.c.route, payouts.c.amount, payouts.c.currency,
                  beneficiary_cases.c.return_country,
                  programmes.c.currency.label("programme_currency"),
                  programmes.c.voucher_expiry_days)
        .join(programmes, programmes.c.id == payouts.c.programme_id)
        .outerjoin(beneficiary_cases, beneficiary_cases.c.case_id == payouts.c.case_id)
        .where(payouts.c.batch_id == batch_id, payouts.c.status == "prepared")).all()


def _terms(row, currency: str, book, released_at: datetime.datetime,
           oldest: datetime.date) -> PayoutTerms:
    amount = Money(row.amount, row.currency)
    try:
        fixed = fix_rate_at_release(amount, currency, book, released_at.date())
    except ExchangeRateRequired as missing:
        raise _no_rate(missing.currency, oldest, released_at.date()) from None
    except ValueError as refused:  # rates are EUR-based
        raise RuleViolation(f"cannot pay {amount.currency} in {currency}: {refused}",
                            fields={"currency": [str(refused)]}) from None
    expires_at = (released_at + datetime.timedelta(days=row.voucher_expiry_days)
                  if row.route == CASH_PICKUP else None)
    rate = fixed.rate
    if rate is None:
        return PayoutTerms(voucher_expires_at=expires_at)
    return PayoutTerms(fixed.amount, rate.rate, rate.date, rate.source, expires_at)


def with_terms(order: PayoutOrder, terms: PayoutTerms | None) -> PayoutOrder:
    """The order as the route must pay it: in the payout currency when a rate was fixed
    (the programme's amount and the rate ride along), with a voucher's expiry."""
    if terms is None:
        return order
    # One replace, not two: every order of a batch passes here, twice (submit and poll).
    converted = {} if terms.amount is None else dict(
        amount=terms.amount, programme_amount=order.amount, exchange_rate=str(terms.rate))
    return dataclasses.replace(order, voucher_expires_at=terms.voucher_expires_at, **converted)


# What staff see ---------------------------------------------------------------------------

def show_payout_terms(session, view: dict, role: str | None) -> dict:
    """Add to each payout of a view (a case's instalments, or a batch) what it pays in its
    currency, the rate fixed on it, and a cash voucher as `role` may see it."""
    shown = list(view.get("payouts", []))
    shown += [p for instalment in view.get("instalments", []) for p in instalment["payouts"]]
    rows = {}
    for chunk in in_chunks(p["id"] for p in shown):
        rows.update({r.id: r for r in session.execute(
            sa.select(payouts).where(payouts.c.id.in_(chunk)))})
    for payout in shown:
        row = rows[payout["id"]]
        payout.update(terms_view(terms_of(row)))
        if row.route == CASH_PICKUP:
            payout["voucher"] = vouchers.voucher_view(row.collection, row.status, role)
    return view


def terms_view(terms: PayoutTerms) -> dict:
    if terms.amount is None:
        return {"payout_amount": None, "exchange_rate": None}
    return {"payout_amount": terms.amount.to_dict(),
            "exchange_rate": {"rate": str(terms.rate), "date": terms.rate_date.isoformat(),
                              "source": terms.rate_source}}


# Helpers ----------------------------------------------------------------------------------

def _manual_rate(body: dict, actor_id: str):
    checker = Validator(MANUAL_RATE_SCHEMA)
    if not isinstance(body, dict) or not checker.validate(body):
        fields = field_reasons(checker.errors) if isinstance(body, dict) else {"body": ["must be an object"]}
        if isinstance(body, dict) and isinstance(body.get("rate"), (float, int)):
            fields["rate"] = ["send the rate as a decimal string (e.g. \"71.25\"), never a number"]
        raise InvalidInput("the exchange rate is not valid", fields=fields)
    try:
        rate = Decimal(body["rate"].strip())
    except InvalidOperation:
        raise InvalidInput("the exchange rate is not valid", fields={"rate": ["not a decimal"]}) from None
    if rate <= 0:
        raise InvalidInput("the exchange rate is not valid", fields={"rate": ["must be positive"]})
    try:
        return manual_rate(body["currency"], rate, _date(body["date"], "date"), actor_id)
    except InvalidRates as refused:
        raise InvalidInput("the exchange rate is not valid", fields={"rate": [str(refused)]}) from None


def _date(text: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidInput(f"not a date: {text!r}", fields={name: ["a date YYYY-MM-DD"]}) from None


def _no_rate(currency: str, oldest: datetime.date, newest: datetime.date) -> RuleViolation:
    message = (f"no exchange rate for {currency} dated from {oldest.isoformat()} to "
               f"{newest.isoformat()}: import the ECB rates or have finance enter one; "
               "the batch was not released")
    return RuleViolation(message, fields={"currency": [currency]},
                         details={"currency": currency, "looked_for": {
                             "from": oldest.isoformat(), "to": newest.isoformat()}})


def _import_answer(saved: SavedRates) -> dict:
    days = sorted(set(saved.imported) | set(saved.updated) | set(saved.unchanged))
    return {"days": [{"date": day.isoformat(), "imported": saved.imported[day],
                      "updated": saved.updated[day], "unchanged": saved.unchanged[day]}
                     for day in days],
            "imported": sum(saved.imported.values()), "updated": sum(saved.updated.values()),
            "unchanged": sum(saved.unchanged.values())}
