import datetime
from decimal import Decimal

import pytest
from reintegra.money import Money

from payments.domain.exchange_rates import (
    ECB, MANUAL, InvalidRates, MissingRate, RateBook, convert, convert_from_eur, manual_rate, parse_ecb_csv,
)

DAILY = ("Date, USD, JPY, BGN, CZK, GBP, MAD, \n"
         "04 January 2024, 1.0956, 157.08, 1.9558, 24.665, 0.86420, 10.8856, \n")
HISTORICAL = ("Date,USD,JPY,CYP,\n"
              "2024-01-04,1.0956,157.08,N/A,\n"
              "2024-01-03,1.0919,155.76,N/A,\n")
DAY = datetime.date(2024, 1, 4)


def test_the_daily_file_gives_one_decimal_rate_per_currency_with_its_date_and_source():
    rates = {rate.currency: rate for rate in parse_ecb_csv(DAILY)}

    assert set(rates) == {"USD", "JPY", "BGN", "CZK", "GBP", "MAD"}
    assert rates["GBP"].rate == Decimal("0.86420")
    assert (rates["USD"].date, rates["USD"].source) == (DAY, ECB)


def test_the_historical_file_gives_every_day_and_skips_currencies_not_quoted():
    rates = parse_ecb_csv(HISTORICAL)

    assert sorted((rate.currency, rate.date.isoformat(), str(rate.rate)) for rate in rates) == [
        ("JPY", "2024-01-03", "155.76"), ("JPY", "2024-01-04", "157.08"),
        ("USD", "2024-01-03", "1.0919"), ("USD", "2024-01-04", "1.0956")]


def test_a_file_that_is_not_the_ecb_format_is_refused():
    with pytest.raises(InvalidRates):
        parse_ecb_csv("Currency,Rate\nUSD,1.09\n")
    with pytest.raises(InvalidRates):
        parse_ecb_csv("Date, USD\n04 January 2024, one\n")


def test_the_rate_that_applies_is_the_latest_on_or_before_the_day():
    book = RateBook(parse_ecb_csv(HISTORICAL))

    assert book.rate_for("USD", datetime.date(2024, 1, 3)).rate == Decimal("1.0919")
    assert book.rate_for("USD", datetime.date(2024, 1, 6)).rate == Decimal("1.0956")


def test_a_missing_rate_is_an_error_naming_the_currency():
    book = RateBook(parse_ecb_csv(DAILY))

    with pytest.raises(MissingRate, match="GMD"):
        book.rate_for("GMD", DAY)
    with pytest.raises(MissingRate, match="USD"):
        book.rate_for("USD", datetime.date(2023, 12, 31))


def test_finance_enters_a_rate_with_date_source_and_who_and_it_wins_over_the_ecb_that_day():
    book = RateBook()
    entered = manual_rate("USD", "1.1000", DAY, entered_by="finance-officer-1")
    book.add(entered)
    book.add(parse_ecb_csv(DAILY)[0])

    assert book.rate_for("USD", DAY) == entered
    assert (entered.source, entered.entered_by) == (MANUAL, "finance-officer-1")


@pytest.mark.parametrize("bad", [1.1, "0", "-2", "abc"])
def test_a_manual_rate_must_be_positive_and_never_a_float(bad):
    with pytest.raises(InvalidRates):
        manual_rate("GMD", bad, DAY, entered_by="finance-officer-1")


def test_a_manual_rate_must_say_who_entered_it():
    with pytest.raises(InvalidRates):
        manual_rate("GMD", "70.5", DAY, entered_by="")


@pytest.mark.parametrize("eur_cents, currency, rate, expected", [
    (100_000, "JPY", "157.08", 157_080),          # EUR 1,000.00 → JPY 157,080 (no minor unit)
    (100_000, "XOF", "655.957", 655_957),         # the CFA peg
    (100_000, "GMD", "70.25", 7_025_000),         # two decimals
    (1, "GMD", "70.25", 70),                      # 0.7025 → 0.70
    (2, "JPY", "125", 2),                         # 2.5 → 2: half to even
    (6, "JPY", "125", 8),                         # 7.5 → 8: half to even
    (100, "KWD", "0.33345", 333),                 # three decimals: 0.33345 → 0.333
    (100, "KWD", "0.3335", 334),                  # 0.3335 → 0.334: half to even
])
def test_eur_converts_to_local_minor_units_with_half_even_rounding(eur_cents, currency, rate, expected):
    converted = convert_from_eur(Money(eur_cents, "EUR"), manual_rate(currency, rate, DAY, "finance"))

    assert converted == Money(expected, currency)


def test_conversion_returns_the_rate_it_used_so_the_payout_can_keep_it():
    book = RateBook(parse_ecb_csv(DAILY))

    amount, used = convert(Money(200_000, "EUR"), "MAD", book, DAY)

    assert amount == Money(2_177_120, "MAD")
    assert (used.rate, used.date, used.source) == (Decimal("10.8856"), DAY, ECB)


def test_only_eur_amounts_are_converted():
    with pytest.raises(ValueError):
        convert_from_eur(Money(100, "USD"), manual_rate("GMD", "70", DAY, "finance"))
