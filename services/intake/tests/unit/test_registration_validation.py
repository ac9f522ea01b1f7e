from datetime import date

import pytest

from intake.validation.registration import validate_registration

TODAY = date(2024, 6, 15)
MISSING = object()


def with_value(payload: dict, path: str, value) -> dict:
    """The payload with the value at a dotted path replaced (or removed, with MISSING)."""
    *parents, last = path.split(".")
    node = payload
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is MISSING:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return payload


def errors_for(payload: dict) -> dict:
    clean, errors = validate_registration(payload, TODAY)
    assert clean is None
    return errors


def test_a_complete_registration_is_valid_and_cleaned(registration_payload):
    clean, errors = validate_registration(registration_payload, TODAY)
    assert errors == {}
    assert clean["date_of_birth"] == date(1990, 5, 17)
    assert clean["consent"]["date"] == date(2024, 6, 1)
    assert clean["household_members"][0]["date_of_birth"] == date(2016, 2, 10)


def test_codes_and_phone_numbers_are_put_in_canonical_form(registration_payload):
    with_value(registration_payload, "nationality", " br ")
    with_value(registration_payload, "languages", ["PT", "En"])
    with_value(registration_payload, "contact.phone", "+55 (62) 91234-5678")
    clean, errors = validate_registration(registration_payload, TODAY)
    assert errors == {}
    assert (clean["nationality"], clean["languages"], clean["contact"]["phone"]) == (
        "BR", ["pt", "en"], "+5562912345678")


def test_a_minimal_registration_needs_no_document_contact_or_household(registration_payload):
    for optional in ("identity_document", "contact", "household_members", "family_names",
                     "return_city", "vulnerability_factors"):
        del registration_payload[optional]
    registration_payload["referral_source"] = "self"
    del registration_payload["referral_details"]
    del registration_payload["consent"]["channels"]
    assert validate_registration(registration_payload, TODAY)[1] == {}


@pytest.mark.parametrize("field", [
    "programme_id", "given_names", "date_of_birth", "sex", "nationality", "languages",
    "migratory_status", "return_country", "referral_source", "consent",
    "intends_to_apply_for_reintegration", "consent.given", "consent.date", "consent.scope",
    "identity_document.type", "identity_document.number",
    "identity_document.issuing_country", "household_members.0.relationship",
    "household_members.0.date_of_birth",
])
def test_a_required_field_that_is_missing_is_named(registration_payload, field):
    assert errors_for(with_value(registration_payload, field, MISSING)) == {
        field: ["is required"]}


@pytest.mark.parametrize("path", ["nickname", "contact.fax", "identity_document.expiry",
                                  "household_members.0.minor", "consent.witness"])
def test_unknown_fields_are_refused(registration_payload, path):
    assert errors_for(with_value(registration_payload, path, "x")) == {
        path: ["is not a recognised field"]}


@pytest.mark.parametrize("path,value,reason", [
    ("date_of_birth", "17/05/1990", "must be a date written YYYY-MM-DD"),
    ("date_of_birth", "1990-02-30", "1990-02-30 is not a real calendar date"),
    ("date_of_birth", 19900517, "must be a date written YYYY-MM-DD"),
    ("date_of_birth", "2024-06-16", "cannot be in the future"),
    ("date_of_birth", "1904-06-14", "cannot be more than 120 years ago"),
    ("consent.date", "2024-06-16", "cannot be in the future"),
    ("household_members.0.date_of_birth", "2030-01-01", "cannot be in the future"),
])
def test_dates_must_be_real_and_plausible(registration_payload, path, value, reason):
    assert errors_for(with_value(registration_payload, path, value)) == {path: [reason]}


def test_a_birth_date_exactly_120_years_ago_is_accepted(registration_payload):
    with_value(registration_payload, "date_of_birth", "1904-06-15")
    with_value(registration_payload, "household_members", [])
    assert validate_registration(registration_payload, TODAY)[1] == {}


@pytest.mark.parametrize("path,value,reason", [
    ("given_names", "", "must not be empty"),
    ("given_names", "   ", "must not be empty"),
    ("given_names", "R2-D2", "may contain only letters, spaces, apostrophes, hyphens "
                             "and full stops"),
    ("given_names", "A" * 201, "must be at most 200 characters long"),
    ("family_names", "--", "may contain only letters, spaces, apostrophes, hyphens "
                           "and full stops"),
    ("given_names", 42, "must be text"),
])
def test_names_must_be_names(registration_payload, path, value, reason):
    assert errors_for(with_value(registration_payload, path, value)) == {path: [reason]}


def test_names_may_be_written_in_any_alphabet(registration_payload):
    with_value(registration_payload, "given_names", "Олена")
    with_value(registration_payload, "family_names", "N'Diaye-Sène")
    assert validate_registration(registration_payload, TODAY)[1] == {}


@pytest.mark.parametrize("path,value,reason", [
    ("sex", "f", "'f' is not allowed; must be one of: female, male, other, unknown"),
    ("migratory_status", "tourist", "'tourist' is not allowed; must be one of: irregular, "
     "regular, asylum_claim_withdrawn, asylum_claim_refused, stranded, other"),
    ("referral_source", "police", "'police' is not allowed; must be one of: partner_ngo, "
     "consulate, self, other"),
    ("identity_document.type", "visa", "'visa' is not allowed; must be one of: passport, "
     "national_id, travel_document, other"),
    ("household_members.0.relationship", "cousin", "'cousin' is not allowed; must be one "
     "of: child, spouse_or_partner, parent, sibling, other_relative, other"),
    ("consent.scope.0", "marketing", "'marketing' is not allowed; must be one of: "
     "case_management, return_travel, reintegration_support, monitoring, notifications, "
     "sharing_with_partners"),
    ("consent.channels.0", "fax", "'fax' is not allowed; must be one of: sms, email, "
     "messaging_app"),
])
def test_choices_must_be_among_the_known_values(registration_payload, path, value, reason):
    assert errors_for(with_value(registration_payload, path, value)) == {path: [reason]}


@pytest.mark.parametrize("path,value,reason", [
    ("nationality", "XX", "'XX' is not an ISO 3166-1 alpha-2 country code"),
    ("nationality", "BRA", "'BRA' is not an ISO 3166-1 alpha-2 country code"),
    ("return_country", "UK", "'UK' is not an ISO 3166-1 alpha-2 country code"),
    ("identity_document.issuing_country", "EU",
     "'EU' is not an ISO 3166-1 alpha-2 country code"),
    ("languages.1", "english", "'english' is not an ISO 639-1 language code"),
    ("languages.0", "por", "'por' is not an ISO 639-1 language code"),
])
def test_countries_and_languages_are_real_iso_codes(registration_payload, path, value, reason):
    assert errors_for(with_value(registration_payload, path, value)) == {path: [reason]}


def test_kosovo_is_accepted_as_xk(registration_payload):
    with_value(registration_payload, "nationality", "XK")
    with_value(registration_payload, "return_country", "XK")
    assert validate_registration(registration_payload, TODAY)[1] == {}


@pytest.mark.parametrize("path,value,reason", [
    ("languages", [], "must contain at least 1 item"),
    ("languages", ["pt", "PT"], "lists pt more than once"),
    ("languages", "pt", "must be a list"),
    ("consent.scope", [], "must contain at least 1 item"),
    ("consent.channels", ["sms", "sms"], "lists sms more than once"),
    ("vulnerability_factors", ["homeless", "homeless"], "lists homeless more than once"),
])
def test_lists_are_checked_as_lists(registration_payload, path, value, reason):
    assert errors_for(with_value(registration_payload, path, value)) == {path: [reason]}


@pytest.mark.parametrize("phone", ["912345678", "00351912345678", "+0351912345678",
                                   "+35191234567890123", "+351 91x 234 567", "+12345"])
def test_phone_numbers_must_be_in_e164_form(registration_payload, phone):
    assert errors_for(with_value(registration_payload, "contact.phone", phone)) == {
        "contact.phone": ["must be an international number in E.164 form: +, country code "
                          "and number, e.g. +351912345678"]}


@pytest.mark.parametrize("email", ["ana", "ana@example", "ana @example.org", "@example.org"])
def test_email_addresses_must_look_like_addresses(registration_payload, email):
    assert errors_for(with_value(registration_payload, "contact.email", email)) == {
        "contact.email": ["must be an email address such as name@example.org"]}


@pytest.mark.parametrize("number", ["#12345", "", "A" * 31])
def test_document_numbers_are_letters_and_digits(registration_payload, number):
    errors = errors_for(with_value(registration_payload, "identity_document.number", number))
    assert list(errors) == ["identity_document.number"]


@pytest.mark.parametrize("given", [False, "yes", None])
def test_consent_must_be_given(registration_payload, given):
    errors = errors_for(with_value(registration_payload, "consent.given", given))
    assert list(errors) == ["consent.given"]


def test_refused_consent_explains_why_it_blocks_registration(registration_payload):
    assert errors_for(with_value(registration_payload, "consent.given", False)) == {
        "consent.given": ["must be true: a person cannot be registered without consent to "
                          "the processing of their data"]}


def test_the_intent_to_apply_must_be_true_or_false(registration_payload):
    errors = errors_for(with_value(registration_payload,
                                   "intends_to_apply_for_reintegration", "maybe"))
    assert errors == {"intends_to_apply_for_reintegration": ["must be true or false"]}


def test_a_child_cannot_be_older_than_the_applicant(registration_payload):
    with_value(registration_payload, "household_members.0.date_of_birth", "1985-01-01")
    assert errors_for(registration_payload) == {
        "household_members.0.date_of_birth": ["a child must be born after the applicant"]}


def test_a_parent_must_be_older_than_the_applicant(registration_payload):
    registration_payload["household_members"].append(
        {"relationship": "parent", "date_of_birth": "1995-01-01"})
    assert errors_for(registration_payload) == {
        "household_members.1.date_of_birth": ["a parent must be born before the applicant"]}


def test_household_ages_are_not_compared_with_an_invalid_birth_date(registration_payload):
    with_value(registration_payload, "date_of_birth", "2030-01-01")
    assert list(errors_for(registration_payload)) == ["date_of_birth"]


def test_a_spouse_may_be_of_any_age(registration_payload):
    registration_payload["household_members"].append(
        {"relationship": "spouse_or_partner", "date_of_birth": "2000-01-01"})
    assert validate_registration(registration_payload, TODAY)[1] == {}


def test_age_65_plus_is_derived_and_cannot_be_entered(registration_payload):
    with_value(registration_payload, "vulnerability_factors", ["aged_65_plus"])
    assert errors_for(registration_payload) == {"vulnerability_factors.0": [
        "aged_65_plus is derived from the date of birth; do not enter it"]}


def test_unknown_vulnerability_factors_are_refused(registration_payload):
    with_value(registration_payload, "vulnerability_factors", ["homeless", "sad"])
    assert errors_for(registration_payload) == {
        "vulnerability_factors.1": ["'sad' is not a known vulnerability factor"]}


def test_other_needs_a_description(registration_payload):
    with_value(registration_payload, "vulnerability_factors", ["other"])
    assert errors_for(registration_payload) == {"vulnerability_other_text": [
        "is required when 'other' is among the vulnerability factors"]}


def test_a_description_without_other_is_refused(registration_payload):
    with_value(registration_payload, "vulnerability_other_text", "lives in a car")
    assert errors_for(registration_payload) == {"vulnerability_other_text": [
        "is only allowed when 'other' is among the vulnerability factors"]}


def test_other_with_a_description_is_valid(registration_payload):
    with_value(registration_payload, "vulnerability_factors", ["other"])
    with_value(registration_payload, "vulnerability_other_text", "lives in a car")
    assert validate_registration(registration_payload, TODAY)[1] == {}


def test_an_adult_cannot_be_an_unaccompanied_child(registration_payload):
    with_value(registration_payload, "vulnerability_factors",
               ["unaccompanied_or_separated_child"])
    assert errors_for(registration_payload) == {"vulnerability_factors": [
        "unaccompanied_or_separated_child applies only to a person under 18"]}


def test_a_child_cannot_be_a_former_unaccompanied_minor(registration_payload):
    with_value(registration_payload, "date_of_birth", "2010-01-01")
    with_value(registration_payload, "household_members", [])
    with_value(registration_payload, "vulnerability_factors", ["former_unaccompanied_minor"])
    assert errors_for(registration_payload) == {"vulnerability_factors": [
        "former_unaccompanied_minor applies only to a person aged 18 or over"]}


@pytest.mark.parametrize("source", ["partner_ngo", "consulate", "other"])
def test_a_referral_by_someone_must_say_by_whom(registration_payload, source):
    with_value(registration_payload, "referral_source", source)
    with_value(registration_payload, "referral_details", MISSING)
    assert errors_for(registration_payload) == {
        "referral_details": [f"is required when the referral source is {source}"]}


def test_a_self_referral_needs_no_details(registration_payload):
    with_value(registration_payload, "referral_source", "self")
    with_value(registration_payload, "referral_details", MISSING)
    assert validate_registration(registration_payload, TODAY)[1] == {}


def test_consented_channels_need_the_matching_contact(registration_payload):
    with_value(registration_payload, "consent.channels", ["sms", "email", "messaging_app"])
    with_value(registration_payload, "contact", {"address": "Rua das Flores 12"})
    assert errors_for(registration_payload) == {"consent.channels": [
        "sms needs contact.phone", "email needs contact.email",
        "messaging_app needs contact.phone"]}


def test_every_broken_rule_is_reported_at_once(registration_payload):
    with_value(registration_payload, "sex", "f")
    with_value(registration_payload, "nationality", "XX")
    with_value(registration_payload, "contact.phone", "12")
    assert set(errors_for(registration_payload)) == {"sex", "nationality", "contact.phone"}


@pytest.mark.parametrize("body", [None, [], "registration", 42])
def test_a_body_that_is_not_an_object_is_refused(body):
    assert validate_registration(body, TODAY) == (None, {"body": ["must be a JSON object"]})
