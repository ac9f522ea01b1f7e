"""Paying through Stripe end to end: a due instalment paid to the beneficiary's bank account
(Connect recipient account, transfer, payout) and onto a prepaid card (Issuing: card funded
for the instalment amount), Stripe's signed webhooks delivered by the Stripe fake to the
gateway, forged deliveries refused there."""
import time

import pytest
import requests

IBAN = "DE89370400440532013000"


@pytest.fixture
def case_paid_by(journey, programme_id):
    """A registered, arrived case with an approved EUR 1,500 plan and the payout method given:
    its first instalment (EUR 750) is due. Returns the case id."""
    def make(given_names: str, route: str, details: dict) -> str:
        case_id = journey.register(programme_id, given_names, "Camara")
        journey.set_method(case_id, route, details)
        journey.make_due(programme_id, case_id)
        return case_id
    return make


def about(objects, payout_id):
    return [o for o in objects if (o.get("metadata") or {}).get("payout_id") == payout_id]


def gateway_answers(stripe, event_ids):
    """The gateway's answers to the fake's deliveries of these events."""
    deliveries = stripe.ok("GET", "/_control/webhooks")["deliveries"]
    return [d["status"] for d in deliveries if d["event_id"] in event_ids]


def test_a_due_instalment_is_paid_to_the_beneficiary_bank_account_through_stripe_connect(
        programme_id, stripe, case_paid_by, journey, eventually):
    case_id = case_paid_by("Mariama", "bank_account", {
        "iban": IBAN, "account_holder_name": "Mariama Camara", "date_of_birth": "1990-03-02"})

    journey.release_batch(programme_id)

    instalment = journey.instalment_when(case_id, "paid", timeout=40)
    assert instalment["paid"] == journey.eur(75_000)
    payout_id = instalment["payouts"][0]["id"]
    [transfer] = about(stripe.objects("transfer"), payout_id)
    assert (transfer["amount"], transfer["currency"]) == (75_000, "eur")
    [stripe_payout] = about(stripe.objects("payout"), payout_id)
    assert stripe_payout["status"] == "paid" and stripe_payout["amount"] == 75_000
    events = {e["id"] for e in stripe.objects("event")
              if e["type"].startswith(("transfer.", "payout."))
              and e["data"]["object"]["id"] in (transfer["id"], stripe_payout["id"])}
    answers = eventually(lambda: gateway_answers(stripe, events) or None)
    assert answers and set(answers) == {200}


def test_a_due_instalment_is_paid_onto_a_stripe_issuing_card_funded_for_its_amount(
        programme_id, stripe, case_paid_by, journey):
    case_id = case_paid_by("Kadiatou", "prepaid_card", {"first_name": "Kadiatou", "last_name": "Camara"})

    journey.release_batch(programme_id)

    instalment = journey.instalment_when(case_id, "paid", timeout=40)
    payout_id = instalment["payouts"][0]["id"]
    [topup] = about(stripe.objects("topup"), payout_id)
    assert topup["status"] == "succeeded" and (topup["amount"], topup["currency"]) == (75_000, "eur")
    [card] = [c for c in stripe.objects("issuing.card") if c["id"] == topup["metadata"]["card"]]
    assert card["status"] == "active"
    limits = card["spending_controls"]["spending_limits"]
    assert [(limit["amount"], limit["interval"]) for limit in limits] == [(75_000, "all_time")]


def test_a_stripe_delivery_with_a_changed_byte_an_old_timestamp_or_no_signature_is_refused_at_the_gateway(
        api, stripe):
    answer = requests.post(f"{stripe.url}/v1/topups", timeout=10, headers={"Authorization": "Bearer sk_test_e2e"},
                           data={"amount": 100, "currency": "eur", "destination_balance": "issuing"})
    assert answer.status_code == 200, answer.text
    event = next(e for e in stripe.objects("event") if e["data"]["object"]["id"] == answer.json()["id"])
    tampered = [{"alter_body": True}, {"timestamp": int(time.time()) - 600}, {"omit_signature": True},
                {"secret": "whsec_someone_else"}]

    answers = [stripe.ok("POST", f"/_control/events/{event['id']}/resend", how)["deliveries"][0]["status"]
               for how in tampered]

    assert answers == [400, 400, 400, 400]
    status, body = api.call("POST", "/api/v1/webhooks/stripe", raw=b'{"id": "evt_1"}')
    assert status == 400 and "Stripe-Signature" in body["error"]["message"]


def test_payout_holds_are_for_finance_and_supervisors_and_reviewed_by_supervisors(api):
    status, holds = api.call("GET", "/api/v1/payout-holds", token=api.login("finance_officer"))
    assert status == 200 and isinstance(holds["holds"], list)
    status, _ = api.call("GET", "/api/v1/payout-holds", token=api.login("caseworker"))
    assert status == 403
    status, _ = api.call("POST", "/api/v1/payout-holds/any/release", {"reason": "ok"},
                         token=api.login("finance_officer"))
    assert status == 403
    status, missing = api.call("POST", "/api/v1/payout-holds/no-such-hold/reject", {"reason": "no"},
                               token=api.login("supervisor"))
    assert status == 404, missing
