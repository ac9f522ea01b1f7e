import datetime

import pytest

from payments.domain.payout_methods import FIELDS, iban_problems, nuban_problems, requires_supervisor_approval
from payments.service_layer.payout_method_schemas import (
    payout_method_problems, supplier_problems, third_party_problems,
)

OPERATORS = {"GM": ["afrimoney", "qmoney"], "SN": ["orange_money", "wave"]}
TODAY = datetime.date(2025, 3, 1)


def check(route, details, country="SN"):
    return payout_method_problems({"route": route, "details": details}, country=country, operators=OPERATORS)


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
        "details.iban": ["IBAN check digits do not match (mod 97)"], "details.account_holder_name": ["required"]}
    assert check("bank_account", {"account_number": "0000014578", "bank_code": "011",
                                  "account_holder_name": "Chidi Okeke"}, country="NG") == {
        "details.account_number": ["NUBAN check digit does not match"]}


def test_an_unknown_route_or_details_that_are_not_an_object_are_named():
    assert check("carrier_pigeon", {}) == {
        "route": ["one of bank_account, mobile_money, cash_pickup, prepaid_card, supplier, third_party"]}
    assert check("mobile_money", "+2207000001") == {"details": ["an object with the route's fields"]}


def test_a_field_the_route_does_not_use_is_refused_rather_than_stored():
    assert check("bank_account", {"iban": "DE89370400440532013000", "account_holder_name": "Amina Diallo",
                                  "religion": "x"}) == {"details.religion": ["unknown field"]}


def test_mobile_money_needs_an_e164_number_of_the_country_and_a_configured_operator():
    assert check("mobile_money", {"phone": "+220 700 0001", "operator": "afrimoney"}, country="GM") == {}
    assert check("mobile_money", {"phone": "7000001", "operator": "mpesa"}, country="GM") == {
        "details.phone": ["an international number in E.164 form, e.g. +2207000001"],
        "details.operator": ["one of afrimoney, qmoney in GM"]}
    assert check("mobile_money", {"phone": "+2217000001", "operator": "afrimoney"}, country="GM") == {
        "details.phone": ["not a GM number (+220)"]}


def test_cash_pickup_needs_names_and_an_identity_document():
    good = {"given_name": "Awa", "family_name": "Jallow", "id_document_type": "passport",
            "id_document_number": "GM1234567"}
    assert check("cash_pickup", good, country="GM") == {}
    assert set(check("cash_pickup", {"given_name": "Awa", "family_name": "J4llow",
                                     "id_document_type": "library_card", "id_document_number": "12"},
                     country="GM")) == {"details.family_name", "details.id_document_type",
                                        "details.id_document_number"}


def test_a_prepaid_card_checks_only_what_is_given():
    assert check("prepaid_card", {}) == {}
    assert check("prepaid_card", {"email": "nope", "billing_address": {"line1": "Rue 1", "city": "Dakar"}}) == {
        "details.email": ["not an email address"], "details.billing_address.postal_code": ["required"],
        "details.billing_address.country": ["required"]}


def test_mobile_money_takes_any_operator_where_none_are_configured_and_checks_a_holder_name_if_given():
    assert check("mobile_money", {"phone": "+224620000001", "operator": "orange"}, country="GN") == {}
    assert check("mobile_money", {"phone": "+224620000001", "operator": " ",
                                  "account_holder_name": "B4h"}, country="GN") == {
        "details.operator": ["required"],
        "details.account_holder_name": ["letters, spaces, hyphens and apostrophes only"]}


def test_a_supplier_or_third_party_payout_method_names_a_recorded_payee():
    assert check("third_party", {"payee_id": "payee-3"}) == {}
    assert check("supplier", {}) == {"details.payee_id": ["required"]}


SUPPLIER = {"kind": "supplier", "name": "Quincaillerie Ndiaye SARL", "plan_line_id": "line-3",
            "document": {"kind": "invoice", "reference": "F-2025-117", "amount": {"amount": 40_000, "currency": "EUR"}},
            "route": "mobile_money", "details": {"phone": "+221771234567", "operator": "wave"}}


def test_a_supplier_is_paid_by_bank_or_mobile_money_against_a_plan_line_and_invoice():
    assert supplier_problems(SUPPLIER, country="SN", operators=OPERATORS) == {}
    assert supplier_problems({**SUPPLIER, "plan_line_id": "", "details": {"phone": "+221771234567", "operator": "mtn"},
                              "document": {"kind": "receipt", "reference": "F-1", "amount": {"amount": -5}}},
                             country="SN", operators=OPERATORS) == {
        "plan_line_id": ["required"], "document.kind": ["invoice or quote"],
        "document.amount": ["a positive amount in minor units", "an ISO 4217 currency"],
        "details.operator": ["one of orange_money, wave in SN"]}
    assert supplier_problems({**SUPPLIER, "route": "cash_pickup"}, country="SN")["route"] == [
        "one of bank_account, mobile_money"]


THIRD = {"kind": "third_party", "name": "Moussa Diallo", "relationship": "sibling",
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


# The schemas' own rules, beyond the cases above ----------------------------------------------------

def test_each_route_takes_every_field_its_adapter_reads_and_no_other():
    for route, fields in FIELDS.items():
        problems = check(route, {**{field: None for field in fields}, "nickname": "x"})
        assert problems.get("details.nickname") == ["unknown field"], route
        assert not [field for field, reasons in problems.items() if "unknown field" in reasons
                    and field != "details.nickname"], route


def test_a_body_field_that_is_neither_route_nor_details_is_refused():
    assert payout_method_problems({"route": "supplier", "details": {"payee_id": "payee-3"}, "note": "x"},
                                  country="SN") == {"note": ["unknown field"]}


def test_a_missing_route_or_details_is_named_as_required():
    assert payout_method_problems({}, country="SN") == {"route": ["required"]}
    assert check("cash_pickup", None) == {"details": ["an object with the route's fields"]}
    assert payout_method_problems({"route": "cash_pickup"}, country="SN") == {
        "details": ["an object with the route's fields"]}


def test_a_bank_account_without_iban_or_account_number_asks_for_one_of_them():
    assert check("bank_account", {"account_holder_name": "Amina Diallo", "iban": ""}) == {
        "details.iban": ["an IBAN, or a local account number and bank code, is required"]}


def test_a_local_account_number_needs_its_bank_code_and_a_plausible_form():
    holder = {"account_holder_name": "Amina Diallo"}
    assert check("bank_account", {**holder, "account_number": "0012 3456-78", "bank_code": "SN012"}) == {}
    assert check("bank_account", {**holder, "account_number": "0012345678", "bank_code": " "}) == {
        "details.bank_code": ["required"]}
    assert check("bank_account", {**holder, "account_number": "12#45"}) == {
        "details.account_number": ["6 to 34 digits or letters"],
        "details.bank_code": ["required with a local account number"]}


def test_a_nigerian_account_without_iban_is_a_nuban_and_needs_its_bank_code():
    holder = {"account_holder_name": "Chidi Okeke"}
    assert check("bank_account", {**holder, "account_number": "0000014579", "bank_code": "011"}, country="NG") == {}
    assert check("bank_account", {**holder, "account_number": "0000014579"}, country="NG") == {
        "details.account_number": ["a NUBAN needs the 3-digit bank code"]}
    assert check("bank_account", holder, country="NG") == {"details.account_number": ["required"]}


def test_a_field_of_the_wrong_type_says_what_it_should_be():
    assert check("mobile_money", {"phone": 2207000001, "operator": "afrimoney"}, country="GM") == {
        "details.phone": ["must be text"]}
    assert check("prepaid_card", {"billing_address": "Rue 1, Dakar"}) == {
        "details.billing_address": ["{line1, city, postal_code, country}"]}


def test_a_mobile_money_wallet_without_operator_is_refused_even_where_any_operator_goes():
    assert check("mobile_money", {"phone": "+224620000001"}, country="GN") == {"details.operator": ["required"]}
    assert check("mobile_money", {"phone": "+224620000001", "operator": "o" * 41}, country="GN") == {
        "details.operator": ["at most 40 characters"]}


def test_the_country_and_its_operators_are_those_of_each_call_not_of_the_previous_one():
    wallet = {"phone": "+2217000001", "operator": "wave"}
    assert check("mobile_money", wallet, country="SN") == {}
    assert check("mobile_money", wallet, country="GM") == {
        "details.phone": ["not a GM number (+220)"], "details.operator": ["one of afrimoney, qmoney in GM"]}
    assert payout_method_problems({"route": "mobile_money", "details": wallet}, country="SN",
                                  operators={"SN": ["free_money"]}) == {
        "details.operator": ["one of free_money in SN"]}


def test_an_identity_document_number_may_be_written_with_spaces_and_hyphens():
    pickup = {"given_name": "Awa", "family_name": "Jallow", "id_document_type": "passport"}
    assert check("cash_pickup", {**pickup, "id_document_number": "gm 123-4567"}, country="GM") == {}
    assert check("cash_pickup", {**pickup, "id_document_number": "GM-12"}, country="GM") == {
        "details.id_document_number": ["5 to 20 letters or digits"]}


def test_a_prepaid_card_leaves_empty_contacts_alone_but_checks_a_given_phone():
    assert check("prepaid_card", {"email": "", "phone": None}) == {}
    assert check("prepaid_card", {"phone": "+221 77 123 45 67"}) == {
        "details.phone": ["an international number in E.164 form"]}


def test_an_invoice_amount_is_a_positive_whole_number_of_minor_units_never_true():
    document = {"kind": "quote", "reference": "Q-1"}
    for amount in (True, 0, 12.5, "100"):
        assert supplier_problems({**SUPPLIER, "document": {**document, "amount": {"amount": amount, "currency": "EUR"}}},
                                 country="SN", operators=OPERATORS) == {
            "document.amount": ["a positive amount in minor units"]}, amount
    assert supplier_problems({**SUPPLIER, "document": {**document, "amount": 100}}, country="SN",
                             operators=OPERATORS) == {"document.amount": ["{amount: minor units, currency}"]}


def test_a_payee_body_refuses_fields_it_does_not_know_at_every_level():
    assert third_party_problems({**THIRD, "nickname": "Mouss",
                                 "authorisation": {**THIRD["authorisation"], "witness": "x"}},
                                country="SN", operators=OPERATORS, today=TODAY) == {
        "nickname": ["unknown field"], "authorisation.witness": ["unknown field"]}


def test_a_third_party_authorisation_needs_a_real_date_and_the_object_itself():
    assert third_party_problems({**THIRD, "authorisation": {"signed_on": "2025-02-30", "document_reference": "d"}},
                                country="SN", operators=OPERATORS, today=TODAY) == {
        "authorisation.signed_on": ["a date (YYYY-MM-DD)"]}
    assert third_party_problems({**THIRD, "authorisation": None}, country="SN", operators=OPERATORS,
                                today=TODAY) == {"authorisation": ["{signed_on, document_reference}"]}
