"""Exchange rates in the database, and the terms (currency, rate, voucher expiry) fixed on
payouts when their batch is released."""
from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

import sqlalchemy as sa

from reintegra.bulk import insert_many, update_many
from reintegra.money import Money

from payments.adapters.clock import aware, now
from payments.adapters.exchange_rate_tables import exchange_rates
from payments.adapters.tables import payouts
from payments.domain.exchange_rates import ExchangeRate, RateBook


@dataclass(frozen=True)
class SavedRates:
    """How many rates of each day were new, corrected or already known."""
    imported: Counter
    updated: Counter
    unchanged: Counter


@dataclass(frozen=True)
class PayoutTerms:
    """What a released payout pays, fixed once for every retry: its amount in the payout
    currency with the rate used (None: the programme's currency), and a voucher's expiry."""
    amount: Money | None = None
    rate: Decimal | None = None
    rate_date: datetime.date | None = None
    rate_source: str | None = None
    voucher_expires_at: datetime.datetime | None = None


class ExchangeRateRepository:
    def __init__(self, session):
        self.session = session

    def save(self, rates: list[ExchangeRate], note: str | None = None) -> SavedRates:
        """Store rates; the same rate again changes nothing, a different one replaces it.
        In bulk: the ECB's historical file holds some 200,000 rates."""
        saved = SavedRates(Counter(), Counter(), Counter())
        known = self._known(rates)
        at = now()
        new_rows, changed = [], []
        for rate in rates:
            values = dict(rate=str(rate.rate), entered_by=rate.entered_by, note=note, recorded_at=at)
            earlier = known.get((rate.currency, rate.date, rate.source))
            if earlier is None:
                new_rows.append(dict(currency=rate.currency, rate_date=rate.date,
                                     source=rate.source, **values))
                known[(rate.currency, rate.date, rate.source)] = (str(rate.rate), rate.entered_by)
                saved.imported[rate.date] += 1
            elif (Decimal(earlier[0]), earlier[1]) != (rate.rate, rate.entered_by):
                changed.append(dict(currency=rate.currency, rate_date=rate.date,
                                    source=rate.source, **values))
                saved.updated[rate.date] += 1
            else:
                saved.unchanged[rate.date] += 1
        # Corrections first, as a rate given twice in one file is inserted once, as first given.
        update_many(self.session, exchange_rates, ("currency", "rate_date", "source"), changed)
        insert_many(self.session, exchange_rates, new_rows)
        return saved

    def _known(self, rates: list[ExchangeRate]) -> dict[tuple, tuple[str, str | None]]:
        if not rates:
            return {}
        rows = self.session.execute(sa.select(exchange_rates).where(
            exchange_rates.c.currency.in_(sorted({r.currency for r in rates})),
            exchange_rates.c.source.in_(sorted({r.source for r in rates})),
            exchange_rates.c.rate_date.between(min(r.date for r in rates),
                                               max(r.date for r in rates))))
        return {(r.currency, r.rate_date, r.source): (r.rate, r.entered_by) for r in rows}

    def book(self, currencies: Iterable[str], oldest: datetime.date,
             newest: datetime.date) -> RateBook:
        """The rates of these currencies dated from `oldest` to `newest`."""
        rows = self.session.execute(sa.select(exchange_rates).where(
            exchange_rates.c.currency.in_(sorted(set(currencies))),
            exchange_rates.c.rate_date.between(oldest, newest))).all()
        return RateBook([_rate(row) for row in rows])

    def listing(self, currency: str | None, on: datetime.date | None) -> list[dict]:
        query = sa.select(exchange_rates).order_by(exchange_rates.c.rate_date.desc(),
                                                   exchange_rates.c.currency,
                                                   exchange_rates.c.source)
        if currency:
            query = query.where(exchange_rates.c.currency == currency)
        if on:
            query = query.where(exchange_rates.c.rate_date == on)
        return [dict(currency=r.currency, rate=r.rate, date=r.rate_date.isoformat(),
                     source=r.source, entered_by=r.entered_by, note=r.note)
                for r in self.session.execute(query.limit(1000))]

    def fix_terms(self, terms: dict[str, PayoutTerms]) -> None:
        """Write each payout's terms (by payout id), in bulk."""
        if not terms:
            return
        update_many(self.session, payouts, ("id",), [
            dict(id=payout_id, payout_currency=t.amount.currency if t.amount else None,
                 payout_amount=t.amount.amount if t.amount else None,
                 exchange_rate=str(t.rate) if t.rate is not None else None,
                 rate_date=t.rate_date, rate_source=t.rate_source,
                 voucher_expires_at=t.voucher_expires_at)
            for payout_id, t in terms.items()])


def terms_of(row) -> PayoutTerms:
    """The terms stored on a payouts row, or its mapping (all None before its batch is
    released)."""
    # A RowMapping has no `_mapping`: asking it with getattr would cost a KeyError per call.
    columns = row if isinstance(row, Mapping) else row._mapping
    amount = (Money(columns["payout_amount"], columns["payout_currency"])
              if columns.get("payout_currency") else None)
    rate = columns.get("exchange_rate")
    return PayoutTerms(amount, Decimal(rate) if rate else None, columns.get("rate_date"),
                       columns.get("rate_source"), aware(columns.get("voucher_expires_at")))


def _rate(row) -> ExchangeRate:
    return ExchangeRate(row.currency, Decimal(row.rate), row.rate_date, row.source,
                        row.entered_by)
