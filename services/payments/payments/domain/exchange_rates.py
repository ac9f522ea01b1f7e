"""Exchange rates for payouts in local currency: EUR → currency, Decimal only, date and source kept.

Rates come from the European Central Bank's euro foreign exchange reference rates (the daily
`eurofxref.csv` or the historical `eurofxref-hist.csv`) or are entered by finance (source
"manual", with who entered them), e.g. for currencies the ECB does not publish (XOF, GMD).
A payout carries the rate fixed when its batch is released; converting without a rate is a
`MissingRate` naming the currency, never a guess.
"""
from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext

from reintegra.money import Money, minor_unit_exponent

ECB = "ECB"
MANUAL = "manual"
_ECB_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")


class MissingRate(LookupError):
    """No rate for a currency (on or before a date)."""

    def __init__(self, currency: str, on: datetime.date | None = None):
        when = f" on or before {on.isoformat()}" if on else ""
        super().__init__(f"no exchange rate for {currency}{when}: import the ECB rates or enter one manually")
        self.currency = currency


class InvalidRates(ValueError):
    """A rates file or a manual rate that cannot be trusted."""


@dataclass(frozen=True)
class ExchangeRate:
    currency: str
    rate: Decimal  # units of `currency` for one euro
    date: datetime.date
    source: str  # ECB or manual
    entered_by: str | None = None

    def __post_init__(self):
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate <= 0:
            raise InvalidRates(f"a rate must be a positive Decimal, got {self.rate!r}")
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise InvalidRates(f"not a currency code: {self.currency!r}")


def parse_ecb_csv(text: str) -> list[ExchangeRate]:
    """Every rate in an ECB reference rates CSV (daily: one row; historical: one row per day)."""
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    if not rows or rows[0][0] != "Date":
        raise InvalidRates("not an ECB reference rates file: the header must start with 'Date'")
    currencies = rows[0][1:]
    rates = []
    for row in rows[1:]:
        day = _ecb_date(row[0])
        for currency, value in zip(currencies, row[1:]):
            if currency and value and value != "N/A":
                rates.append(ExchangeRate(currency, _decimal(value, currency), day, ECB))
    return rates


def manual_rate(currency: str, rate: str | Decimal, date: datetime.date, entered_by: str) -> ExchangeRate:
    """A rate entered by finance; the rate is given as text or Decimal, never as a float."""
    if isinstance(rate, float):
        raise InvalidRates("enter the rate as text or Decimal, not a float")
    if not entered_by:
        raise InvalidRates("a manual rate must say who entered it")
    return ExchangeRate(currency, _decimal(str(rate), currency), date, MANUAL, entered_by)


class RateBook:
    """Known rates; the one that applies is the latest on or before the day asked."""

    def __init__(self, rates: list[ExchangeRate] = ()):
        self._rates: dict[str, list[ExchangeRate]] = {}
        for rate in rates:
            self.add(rate)

    def add(self, rate: ExchangeRate) -> None:
        # A manual entry for the same day wins over the ECB's: finance corrected it on purpose.
        same_day = [known for known in self._rates.get(rate.currency, []) if known.date == rate.date]
        if same_day and same_day[0].source == MANUAL and rate.source != MANUAL:
            return
        kept = [known for known in self._rates.get(rate.currency, []) if known.date != rate.date]
        self._rates[rate.currency] = sorted([*kept, rate], key=lambda known: known.date)

    def rate_for(self, currency: str, on: datetime.date) -> ExchangeRate:
        earlier = [rate for rate in self._rates.get(currency, []) if rate.date <= on]
        if not earlier:
            raise MissingRate(currency, on)
        return earlier[-1]


def convert_from_eur(amount: Money, rate: ExchangeRate) -> Money:
    """`amount` (EUR) in `rate.currency`, rounded half-even to that currency's minor unit."""
    if amount.currency != "EUR":
        raise ValueError(f"rates convert from EUR, got {amount.currency}")
    shift = minor_unit_exponent(rate.currency) - minor_unit_exponent("EUR")
    with localcontext() as context:
        context.prec = 50
        local_minor = (Decimal(amount.amount) * rate.rate).scaleb(shift)
        return Money(int(local_minor.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), rate.currency)


def convert(amount: Money, currency: str, book: RateBook, on: datetime.date) -> tuple[Money, ExchangeRate]:
    """`amount` (EUR) in `currency` with the rate that applies on `on`, and that rate."""
    if currency == amount.currency:
        return amount, ExchangeRate(currency, Decimal(1), on, "identity")
    rate = book.rate_for(currency, on)
    return convert_from_eur(amount, rate), rate


def _ecb_date(text: str) -> datetime.date:
    for pattern in _ECB_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidRates(f"not an ECB date: {text!r}")


def _decimal(text: str, currency: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidRates(f"not a rate for {currency}: {text!r}") from None
