"""In-process rules of the Stripe test server: signatures, form decoding, parameters, bank numbers."""
import time

import pytest
import stripe

from stripe_server import banking, errors, params
from stripe_server.forms import parse_pairs
from stripe_server.signing import sign

PAYLOAD = b'{\n  "id": "evt_1",\n  "object": "event",\n  "type": "transfer.created"\n}'
SECRET = "whsec_unit"


def test_a_signed_payload_is_accepted_by_the_official_sdk():
    event = stripe.Webhook.construct_event(PAYLOAD, sign(PAYLOAD, SECRET), SECRET, tolerance=300)

    assert event.id == "evt_1"


def test_the_signature_header_carries_the_given_timestamp():
    header = sign(PAYLOAD, SECRET, timestamp=1_700_000_000)

    assert header.startswith("t=1700000000,v1=")


def test_a_signature_made_with_another_secret_is_rejected_by_the_sdk():
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(PAYLOAD, sign(PAYLOAD, "whsec_other"), SECRET, tolerance=300)


def test_a_signature_older_than_the_tolerance_is_rejected_by_the_sdk():
    stale = sign(PAYLOAD, SECRET, timestamp=int(time.time()) - 301)

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(PAYLOAD, stale, SECRET, tolerance=300)


def test_nested_form_keys_become_hashes_and_indexed_keys_become_lists():
    decoded = parse_pairs([
        ("spending_controls[spending_limits][0][amount]", "100000"),
        ("spending_controls[spending_limits][0][interval]", "all_time"),
        ("metadata[case]", "C-1"),
        ("expand[0]", "destination"),
    ])

    assert decoded == {
        "spending_controls": {"spending_limits": [{"amount": "100000", "interval": "all_time"}]},
        "metadata": {"case": "C-1"}, "expand": ["destination"]}


def test_empty_brackets_append_like_indexes_do():
    assert parse_pairs([("expand[]", "a"), ("expand[]", "b")]) == {"expand": ["a", "b"]}


def test_a_parameter_the_operation_does_not_know_is_refused_by_its_bracketed_name():
    spec = params.spec({"amount": params.positive_integer})

    with pytest.raises(errors.StripeError) as refused:
        params.validate(spec, parse_pairs([("amount", "5"), ("individual[nickname]", "x")]))

    assert (refused.value.code, refused.value.param) == ("parameter_unknown", "individual[nickname]")


def test_a_missing_nested_parameter_is_named_with_brackets():
    spec = params.spec({"billing.address.city": params.string}, required=("billing.address.city",))

    with pytest.raises(errors.StripeError) as refused:
        params.validate(spec, {})

    assert refused.value.message == "Missing required param: billing[address][city]."


def test_amounts_must_be_whole_positive_numbers_of_minor_units():
    spec = params.spec({"amount": params.positive_integer})

    with pytest.raises(errors.StripeError) as fractional:
        params.validate(spec, {"amount": "10.50"})
    with pytest.raises(errors.StripeError) as zero:
        params.validate(spec, {"amount": "0"})

    assert fractional.value.code == zero.value.code == "parameter_invalid_integer"


def test_metadata_may_be_sent_empty_to_clear_it():
    assert params.validate(params.spec({}), {"metadata": ""}) == {"metadata": ""}


def test_a_real_iban_passes_the_checksum_and_a_mistyped_one_does_not():
    assert banking.iban_is_valid("FR1420041010050500013M02606")
    assert not banking.iban_is_valid("FR1420041010050500013M02607")


@pytest.mark.parametrize("iban, failure", [
    ("DE89370400440532013000", None),
    ("DE62370400440532013001", "no_account"),
    ("DE35370400440532013002", "account_closed"),
    ("DE08370400440532013003", "insufficient_funds"),
])
def test_stripe_test_ibans_decide_how_a_payout_ends(iban, failure):
    assert banking.payout_outcome(iban) == failure


def test_us_test_account_numbers_decide_how_a_payout_ends():
    assert banking.payout_outcome("000123456789") is None
    assert banking.payout_outcome("000111111113") == "account_closed"


def test_errors_omit_members_that_are_null_as_stripe_does():
    body = errors.api_error().body("req_123")["error"]

    assert set(body) == {"message", "request_log_url", "type"}
    assert body["type"] == "api_error"
