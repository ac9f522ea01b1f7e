import datetime

import pytest

from payments.domain.payout_methods import (
    iban_problems, nuban_problems, requires_supervisor_approval, validate,
)

ALLOWED = {"GM": ["mobile_money", "cash_pickup", "supplier", "third_party"],
           "SN": ["bank_account", "mobile_money", "prepaid_card", "supplier", "third_party"],
           "NG": ["bank_account"], "PT": ["bank_account"]}
OPERATORS = {"GM": ["afrimoney", "qmoney"], "SN": ["orange_money", "wave"]}
TODAY = datetime.date(2025, 3, 1)


def check(route, details, country="SN"):
    return validate(route, details, country=country, allowed_routes=ALLOWED, operators=OPERATORS, today=TODAY)


@pytest.mark.parametrize("iban", ["DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
                                  "FR1420041010050500013M02606", "pt50000201231234567890154"])
def test_valid_ibans_pass_the_checksum_and_length(iban):
    assert iban_problems(iban) == []


@pytest.mark.parametrize("iban, complaint", [
    ("DE89370400440532013001", "mod 97"),
    ("DE8937040044053201300", "22 characters"),
    ("1234", "not an IBAN"),
])
def test_invalid_ibans_say_why(iban, complaint):
    assert complaint in iban_problems(iban)[0]


def test_a_nigerian_nuban_is_checked_with_its_bank_code():
    assert nuban_problems("0000014579", "011") == []
    assert nuban_problems("0000014578", "011") == ["NUBAN check digit does not match"]


def test_a_bank_account_needs_a_valid_account_and_the_holder_name():
    assert check("bank_account", {"iban": "DE89370400440532013000", "account_holder_name": "Amina Diallo"}) == {}
    assert check("bank_account", {"iban": "DE89370400440532013001"}) == {
        "iban": ["IBAN check digits do not match (mod 97)"], "account_holder_name": ["required"]}
    assert check("bank_account", {"account_number": "0000014578", "bank_code": "011",
                                  "account_holder_name": "Chidi Okeke"}, country="NG") == {
        "account_number": ["NUBAN check digit does not match"]}


def test_a_route_not_offered_in_the_return_country_is_refused():
    assert check("bank_account", {"iban": "DE89370400440532013000"}, country="GM") == {
        "route": ["bank_account is not offered in GM"]}
    assert "route" in check("carrier_pigeon", {})


def test_mobile_money_needs_an_e164_number_of_the_country_and_a_configured_operator():
    assert check("mobile_money", {"phone": "+220 700 0001", "operator": "afrimoney"}, country="GM") == {}
    assert check("mobile_money", {"phone": "7000001", "operator": "mpesa"}, country="GM") == {
        "phone": ["an international number in E.164 form, e.g. +2207000001"],
        "operator": ["one of afrimoney, qmoney in GM"]}
    assert check("mobile_money", {"phone": "+2217000001", "operator": "afrimoney"}, country="GM") == {
        "phone": ["not a GM number (+220)"]}


def test_cash_pickup_needs_names_and_an_identity_document():
    good = {"given_name": "Awa", "family_name": "Jallow", "id_document_type": "passport",
            "id_document_number": "GM1234567"}
    assert check("cash_pickup", good, country="GM") == {}
    assert set(check("cash_pickup", {"given_name": "Awa", "family_name": "J4llow",
                                     "id_document_type": "library_card", "id_document_number": "12"},
                     country="GM")) == {"family_name", "id_document_type", "id_document_number"}


def test_a_prepaid_card_checks_only_what_is_given():
    assert check("prepaid_card", {}) == {}
    assert check("prepaid_card", {"email": "nope", "billing_address": {"line1": "Rue 1", "city": "Dakar"}}) == {
        "email": ["not an email address"], "billing_address.postal_code": ["required"],
        "billing_address.country": ["required"]}


def test_a_supplier_is_paid_by_bank_or_mobile_money_against_a_plan_line_and_invoice():
    supplier = {"name": "Quincaillerie Ndiaye SARL", "plan_line_id": "line-3", "invoice_reference": "F-2025-117",
                "route": "mobile_money", "details": {"phone": "+221771234567", "operator": "wave"}}
    assert check("supplier", supplier) == {}
    assert check("supplier", {**supplier, "invoice_reference": "", "details": {"phone": "+221771234567"}}) == {
        "invoice_reference": ["the invoice or quote being paid"],
        "details.operator": ["one of orange_money, wave in SN"]}
    assert check("supplier", {**supplier, "route": "cash_pickup"})["route"] == ["one of bank_account, mobile_money"]


def test_a_third_party_needs_relationship_a_past_authorisation_and_its_signed_document():
    third = {"name": "Moussa Diallo", "relationship": "sibling", "authorisation_date": "2025-02-20",
             "signed_document_reference": "doc-88", "route": "mobile_money",
             "details": {"phone": "+221771234567", "operator": "orange_money"}}
    assert check("third_party", third) == {}
    assert check("third_party", {**third, "relationship": "friend", "authorisation_date": "2025-03-02",
                                 "signed_document_reference": " "}) == {
        "relationship": ["one of child, legal_guardian, parent, partner_ngo, relative, sibling, spouse"],
        "authorisation_date": ["cannot be in the future"],
        "signed_document_reference": ["the beneficiary's signed authorisation"]}


def test_only_third_party_payouts_wait_for_a_supervisor():
    assert requires_supervisor_approval("third_party") is True
    assert not any(requires_supervisor_approval(route) for route in
                   ("bank_account", "mobile_money", "cash_pickup", "prepaid_card", "supplier"))
