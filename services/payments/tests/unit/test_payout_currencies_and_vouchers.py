"""The service layer's pure parts of exchange rates and vouchers: which currency a payout is
paid in, the order a route receives, and how staff see a voucher."""
import datetime
from decimal import Decimal

from reintegra.money import Money

from payments.adapters.exchange_rate_repository import PayoutTerms
from payments.service_layer.exchange_rates import PayoutCurrencySettings, terms_view, with_terms
from payments.service_layer.payout_route import Payee, PayoutOrder
from payments.service_layer.vouchers import mask, voucher_view

CONFIG = {"PAYOUT_CURRENCIES": {"mobile_money": {"GM": "GMD"}, "cash_pickup": {"GM": "GMD"}},
          "EXCHANGE_RATES": {"max_age_days": "3"}}
EXPIRY = datetime.datetime(2026, 12, 22, 9, 0, tzinfo=datetime.timezone.utc)


def order(amount=Money(75_000, "EUR")) -> PayoutOrder:
    return PayoutOrder("payout-1", "k" * 64, amount, Payee("case-1", "Awa Jallow"), "Reintegra payout-1")


def test_a_route_and_country_in_the_configuration_pay_in_their_currency():
    settings = PayoutCurrencySettings.from_config(CONFIG)

    assert settings.currency_for("mobile_money", "GM", "EUR") == "GMD"
    assert settings.max_age_days == 3


def test_anything_not_configured_is_paid_in_the_programme_currency():
    settings = PayoutCurrencySettings.from_config(CONFIG)

    assert settings.currency_for("mobile_money", "SN", "EUR") == "EUR"
    assert settings.currency_for("bank_account", "GM", "EUR") == "EUR"
    assert settings.currency_for("cash_pickup", None, "EUR") == "EUR"


def test_without_configuration_every_payout_is_in_the_programme_currency_and_rates_last_a_week():
    settings = PayoutCurrencySettings.from_config({})

    assert settings.currency_for("mobile_money", "GM", "EUR") == "EUR"
    assert settings.max_age_days == 7


def test_an_order_with_a_fixed_rate_pays_the_local_amount_and_carries_the_programme_amount():
    terms = PayoutTerms(Money(5_343_750, "GMD"), Decimal("71.25"), datetime.date(2026, 11, 20), "manual")

    converted = with_terms(order(), terms)

    assert converted.amount == Money(5_343_750, "GMD")
    assert converted.programme_amount == Money(75_000, "EUR")
    assert converted.exchange_rate == "71.25"
    assert (converted.payout_id, converted.idempotency_key) == ("payout-1", "k" * 64)


def test_an_order_in_the_programme_currency_is_sent_as_it_is():
    assert with_terms(order(), PayoutTerms()) == order()
    assert with_terms(order(), None) == order()


def test_a_cash_order_carries_the_voucher_expiry_fixed_at_release():
    sent = with_terms(order(), PayoutTerms(voucher_expires_at=EXPIRY))

    assert sent.voucher_expires_at == EXPIRY
    assert sent.amount == Money(75_000, "EUR") and sent.exchange_rate is None


def test_staff_see_the_rate_date_and_source_fixed_on_a_payout():
    terms = PayoutTerms(Money(5_343_750, "GMD"), Decimal("71.25"), datetime.date(2026, 11, 20), "ECB")

    assert terms_view(terms) == {
        "payout_amount": {"amount": 5_343_750, "currency": "GMD"},
        "exchange_rate": {"rate": "71.25", "date": "2026-11-20", "source": "ECB"}}
    assert terms_view(PayoutTerms()) == {"payout_amount": None, "exchange_rate": None}


def test_the_caseworker_sees_the_whole_code_of_a_voucher_that_can_be_collected():
    voucher = voucher_view({"voucher_code": "KYMR9N4T8Z", "expires_at": "2026-12-22T09:00:00Z"},
                           "submitted", "caseworker")

    assert voucher == {"code": "KYMR9N4T8Z", "masked": False, "expires_at": "2026-12-22T09:00:00Z",
                       "collectable": True}


def test_finance_sees_a_live_code_too_and_everyone_else_only_its_last_characters():
    live = {"voucher_code": "KYMR9N4T8Z", "expires_at": "2026-12-22T09:00:00Z"}

    assert voucher_view(live, "submitted", "finance_officer")["code"] == "KYMR9N4T8Z"
    for role in ("supervisor", "admin", "auditor", None):
        shown = voucher_view(live, "submitted", role)
        assert shown["code"] == "*******T8Z" and shown["masked"]


def test_a_collected_or_expired_voucher_is_masked_for_everyone():
    code = {"voucher_code": "KYMR9N4T8Z", "expires_at": "2026-12-22T09:00:00Z"}

    for status in ("paid", "failed"):
        shown = voucher_view(code, status, "caseworker")
        assert shown["masked"] and not shown["collectable"]


def test_a_payout_the_partner_has_not_issued_a_voucher_for_shows_none():
    assert voucher_view(None, "released", "caseworker") is None
    assert voucher_view({}, "released", "caseworker") is None


def test_masking_keeps_the_length_and_the_last_three_characters():
    assert mask("ABCDEFGHJK") == "*******HJK"
