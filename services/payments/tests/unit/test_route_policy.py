import datetime
from decimal import Decimal

import pytest
from reintegra.money import Money

from payments.domain import payout_methods
from payments.domain.exchange_rates import ECB, RateBook, manual_rate, parse_ecb_csv
from payments.domain.payees import PayeeKind
from payments.domain.route_policy import (DEFAULT_ALLOWED_ROUTES, ExchangeRateRequired, InvalidRouteConfiguration,
                                          RoutePolicy, fix_rate_at_release, requires_exchange_rate)

GAMBIA_AND_SENEGAL = {
    "GM": ["mobile_money", "cash_pickup", "supplier", "third_party"],
    "SN": ["bank_account", "mobile_money", "prepaid_card", "cash_pickup", "supplier"],
    "*": ["bank_account", "cash_pickup"],
}
RELEASED_ON = datetime.date(2024, 5, 3)
ECB_DAILY = ("Date, USD, JPY, GBP, \n"
             "02 May 2024, 1.0702, 164.39, 0.85545, \n")


# Routes per return country -------------------------------------------------------------

def test_a_programme_that_configures_nothing_restricts_no_route_anywhere():
    policy = RoutePolicy()
    assert DEFAULT_ALLOWED_ROUTES == {"*": payout_methods.ROUTES}
    assert policy.routes_in("GM") == policy.routes_in("PK") == payout_methods.ROUTES


def test_a_country_of_its_own_replaces_the_default_rather_than_adding_to_it():
    policy = RoutePolicy(GAMBIA_AND_SENEGAL)
    assert policy.routes_in("GM") == ("mobile_money", "cash_pickup", "supplier", "third_party")
    assert "bank_account" not in policy.routes_in("GM")
    assert policy.routes_in("ML") == ("bank_account", "cash_pickup")


def test_without_a_default_a_country_not_configured_offers_no_route():
    policy = RoutePolicy({"GM": ["cash_pickup"]})
    assert policy.routes_in("SN") == ()
    assert policy.refusals(PayeeKind.BENEFICIARY, "cash_pickup", "SN") == ["cash_pickup is not offered in SN"]


@pytest.mark.parametrize("configuration, problem", [
    ({"GM": ["carrier_pigeon"]}, "unknown routes for GM: carrier_pigeon"),
    ({"gambia": ["cash_pickup"]}, "not a country code"),
])
def test_a_configuration_naming_unknown_routes_or_countries_is_refused(configuration, problem):
    with pytest.raises(InvalidRouteConfiguration, match=problem):
        RoutePolicy(configuration)


# Routes per payee kind -----------------------------------------------------------------

@pytest.mark.parametrize("route", ["mobile_money", "cash_pickup"])
def test_a_beneficiary_may_use_any_personal_route_offered_in_the_country(route):
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(PayeeKind.BENEFICIARY, route, "GM") == []


def test_a_route_not_offered_in_the_country_is_refused_naming_route_and_country():
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(PayeeKind.BENEFICIARY, "bank_account", "GM") == [
        "bank_account is not offered in GM"]


@pytest.mark.parametrize("route", ["supplier", "third_party"])
def test_a_beneficiary_is_not_paid_by_the_supplier_or_third_party_routes(route):
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(PayeeKind.BENEFICIARY, route, "GM") == [
        f"a beneficiary is paid by bank_account or mobile_money or cash_pickup or prepaid_card, not {route}"]


@pytest.mark.parametrize("kind", [PayeeKind.SUPPLIER, PayeeKind.THIRD_PARTY])
@pytest.mark.parametrize("route", ["cash_pickup", "prepaid_card"])
def test_suppliers_and_third_parties_are_paid_only_to_a_bank_account_or_mobile_money(kind, route):
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(kind, route, "SN") == [
        f"a {kind.value} is paid by bank_account or mobile_money, not {route}"]


def test_a_supplier_is_paid_where_suppliers_and_its_carrier_route_are_both_offered():
    policy = RoutePolicy(GAMBIA_AND_SENEGAL)
    assert policy.refusals(PayeeKind.SUPPLIER, "bank_account", "SN") == []
    assert policy.refusals(PayeeKind.SUPPLIER, "mobile_money", "GM") == []
    assert policy.refusals(PayeeKind.SUPPLIER, "bank_account", "GM") == ["bank_account is not offered in GM"]


def test_a_third_party_is_refused_where_third_parties_are_not_offered():
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(PayeeKind.THIRD_PARTY, "bank_account", "SN") == [
        "third_party is not offered in SN"]
    assert RoutePolicy(GAMBIA_AND_SENEGAL).refusals(PayeeKind.THIRD_PARTY, "bank_account", "ML") == [
        "third_party is not offered in ML"]


# Exchange rate fixed at batch release --------------------------------------------------

def test_a_payout_in_the_programmes_currency_needs_no_rate():
    assert not requires_exchange_rate("EUR", "EUR")
    fixed = fix_rate_at_release(Money(100_000, "EUR"), "EUR", RateBook(), RELEASED_ON)
    assert (fixed.amount, fixed.rate) == (Money(100_000, "EUR"), None)


def test_a_payout_in_local_currency_carries_the_rate_that_applies_on_release():
    assert requires_exchange_rate("GMD", "EUR")
    book = RateBook([manual_rate("GMD", "73.10", datetime.date(2024, 4, 29), "finance-1"),
                     manual_rate("GMD", "73.45", datetime.date(2024, 5, 2), "finance-1"),
                     manual_rate("GMD", "74.00", datetime.date(2024, 5, 6), "finance-1")])
    fixed = fix_rate_at_release(Money(100_000, "EUR"), "GMD", book, RELEASED_ON)
    assert fixed.amount == Money(7_345_000, "GMD")
    assert (fixed.rate.rate, fixed.rate.date, fixed.rate.entered_by) == (
        Decimal("73.45"), datetime.date(2024, 5, 2), "finance-1")


def test_an_ecb_rate_converts_to_the_currencys_minor_unit():
    fixed = fix_rate_at_release(Money(12_345, "EUR"), "JPY", RateBook(parse_ecb_csv(ECB_DAILY)), RELEASED_ON)
    assert fixed.amount == Money(20_294, "JPY")  # 123.45 x 164.39 = 20,293.9455
    assert fixed.rate.source == ECB


def test_a_payout_in_a_currency_without_a_rate_is_refused_naming_the_currency():
    book = RateBook(parse_ecb_csv(ECB_DAILY))
    with pytest.raises(ExchangeRateRequired, match="a payout in XOF needs an exchange rate") as refusal:
        fix_rate_at_release(Money(100_000, "EUR"), "XOF", book, RELEASED_ON)
    assert refusal.value.currency == "XOF"
    assert "none for XOF on or before 2024-05-03" in str(refusal.value)


def test_a_rate_dated_after_the_release_is_not_used():
    book = RateBook([manual_rate("GMD", "73.45", datetime.date(2024, 5, 6), "finance-1")])
    with pytest.raises(ExchangeRateRequired):
        fix_rate_at_release(Money(100_000, "EUR"), "GMD", book, RELEASED_ON)
