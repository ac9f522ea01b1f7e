import datetime

import pytest

from payments.domain.payout_methods import (
    iban_problems, nuban_problems, requires_supervisor_approval, supplier_problems, third_party_problems,
    validate,
)

OPERATORS = {"GM": ["afrimoney", "qmoney"], "SN": ["orange_money", "wave"]}
TODAY = datetime.date(2025, 3, 1)


def check(route, details, country="SN"):
    return validate(route, details, country=country, operators=OPERATORS)


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


def test_an_unknown_route_or_details_that_are_not_an_object_are_named():
    assert check("carrier_pigeon", {}) == {
        "route": ["one of bank_account, mobile_money, cash_pickup, prepaid_card, supplier, third_party"]}
    assert check("mobile_money", "+2207000001") == {"details": ["an object with the route's fields"]}


def test_a_field_the_route_does_not_use_is_refused_rather_than_stored():
    assert check("bank_account", {"iban": "DE89370400440532013000", "account_holder_name": "Amina Diallo",
                                  "religion": "x"}) == {"religion": ["unknown field"]}


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


def test_mobile_money_takes_any_operator_where_none_are_configured_and_checks_a_holder_name_if_given():
    assert check("mobile_money", {"phone": "+224620000001", "operator": "orange"}, country="GN") == {}
    assert check("mobile_money", {"phone": "+224620000001", "operator": " ",
                                  "account_holder_name": "B4h"}, country="GN") == {
        "operator": ["required"], "account_holder_name": ["letters, spaces, hyphens and apostrophes only"]}


def test_a_supplier_or_third_party_payout_method_names_a_recorded_payee():
    assert check("third_party", {"payee_id": "payee-3"}) == {}
    assert check("supplier", {}) == {"payee_id": ["required"]}


SUPPLIER = {"name": "Quincaillerie Ndiaye SARL", "plan_line_id": "line-3",
            "document": {"kind": "invoice", "reference": "F-2025-117", "amount": {"amount": 40_000, "currency": "EUR"}},
            "route": "mobile_money", "details": {"phone": "+221771234567", "operator": "wave"}}


def test_a_supplier_is_paid_by_bank_or_mobile_money_against_a_plan_line_and_invoice():
    assert supplier_problems(SUPPLIER, country="SN", operators=OPERATORS) == {}
    assert supplier_problems({**SUPPLIER, "plan_line_id": "", "details": {"phone": "+221771234567"},
                              "document": {"kind": "receipt", "reference": "F-1", "amount": {"amount": -5}}},
                             country="SN", operators=OPERATORS) == {
        "plan_line_id": ["required"], "document.kind": ["invoice or quote"],
        "document.amount": ["a positive amount in minor units"],
        "details.operator": ["one of orange_money, wave in SN"]}
    assert supplier_problems({**SUPPLIER, "route": "cash_pickup"}, country="SN")["route"] == [
        "one of bank_account, mobile_money"]


THIRD = {"name": "Moussa Diallo", "relationship": "sibling",
         "authorisation": {"signed_on": "2025-02-20", "document_reference": "doc-88"},
         "route": "mobile_money", "details": {"phone": "+221771234567", "operator": "orange_money"}}


def test_a_third_party_needs_relationship_a_past_authorisation_and_its_signed_document():
    assert third_party_problems(THIRD, country="SN", operators=OPERATORS, today=TODAY) == {}
    assert third_party_problems({**THIRD, "relationship": "friend",
                                 "authorisation": {"signed_on": "2025-03-02", "document_reference": " "}},
                                country="SN", operators=OPERATORS, today=TODAY) == {
        "relationship": ["one of child, legal_guardian, parent, partner_ngo, relative, sibling, spouse"],
        "authorisation.signed_on": ["cannot be in the future"],
        "authorisation.document_reference": ["required"]}


def test_only_third_party_payouts_wait_for_a_supervisor():
    assert requires_supervisor_approval("third_party") is True
    assert not any(requires_supervisor_approval(route) for route in
                   ("bank_account", "mobile_money", "cash_pickup", "prepaid_card", "supplier"))
