"""Signed webhooks: delivered to a loopback receiver and verified with stripe.Webhook.construct_event."""
import json
import time

import pytest
import stripe

from stripe_server.testing import WebhookReceiver, running_server

SECRET = "whsec_reintegra_test"


@pytest.fixture(scope="module")
def receiver():
    endpoint = WebhookReceiver()
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def server(receiver):
    with running_server(webhook_url=receiver.url, webhook_secret=SECRET) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_state(server, receiver):
    server.reset()
    receiver.drain()
    receiver.refuse_next = 0


def verified(signature, body):
    return stripe.Webhook.construct_event(body, signature, SECRET, tolerance=300)


def ready_recipient(client, iban="DE89370400440532013000"):
    return client.v1.accounts.create({
        "type": "custom", "country": "DE", "business_type": "individual",
        "capabilities": {"transfers": {"requested": True}},
        "individual": {"first_name": "Amina", "last_name": "Diallo",
                       "dob": {"day": 4, "month": 7, "year": 1991}},
        "tos_acceptance": {"date": 1_700_000_000, "ip": "192.0.2.10"},
        "external_account": {"object": "bank_account", "country": "DE", "account_number": iban},
    })


def test_a_transfer_is_announced_by_a_signed_event_the_sdk_accepts(client, receiver):
    account = ready_recipient(client)
    transfer = client.v1.transfers.create({"amount": 100_000, "currency": "eur", "destination": account.id},
                                          {"idempotency_key": "payout-9-1"})

    event = verified(*receiver.next_of_type("transfer.created"))

    assert event.data.object.id == transfer.id
    assert event.data.object.amount == 100_000
    assert event.request.idempotency_key == "payout-9-1"
    assert event.id.startswith("evt_")


def test_adding_a_bank_account_announces_the_account_update_as_a_connect_event(client, receiver):
    account = client.v1.accounts.create({
        "type": "custom", "country": "DE", "business_type": "individual",
        "capabilities": {"transfers": {"requested": True}},
        "individual": {"first_name": "Amina", "last_name": "Diallo",
                       "dob": {"day": 4, "month": 7, "year": 1991}},
        "tos_acceptance": {"date": 1_700_000_000, "ip": "192.0.2.10"}})

    client.v1.accounts.external_accounts.create(account.id, {"external_account": {
        "object": "bank_account", "country": "DE", "account_number": "DE89370400440532013000"}})
    event = verified(*receiver.next_of_type("account.updated")).to_dict()

    assert event["account"] == account.id
    assert event["data"]["object"]["capabilities"] == {"transfers": "active"}
    assert event["data"]["previous_attributes"]["payouts_enabled"] is False


def test_a_reversal_is_announced_as_transfer_reversed_with_the_previous_amount(client, receiver):
    account = ready_recipient(client)
    transfer = client.v1.transfers.create({"amount": 10_000, "currency": "eur", "destination": account.id})

    client.v1.transfers.reversals.create(transfer.id, {"amount": 2_500})
    event = verified(*receiver.next_of_type("transfer.reversed")).to_dict()

    assert (event["data"]["object"]["id"], event["data"]["object"]["amount_reversed"]) == (transfer.id, 2_500)
    assert event["data"]["previous_attributes"]["amount_reversed"] == 0


def test_a_failed_payout_arrives_with_its_failure_code_and_connected_account(client, server, receiver):
    account = ready_recipient(client, iban="DE89370400440532013000")
    client.v1.transfers.create({"amount": 5_000, "currency": "eur", "destination": account.id})
    payout = client.v1.payouts.create({"amount": 5_000, "currency": "eur"}, {"stripe_account": account.id})

    server.ok("POST", f"/_control/payouts/{payout.id}/fail", {"failure_code": "account_closed"})
    event = verified(*receiver.next_of_type("payout.failed")).to_dict()

    assert event["account"] == account.id
    failed = event["data"]["object"]
    assert (failed["id"], failed["failure_code"]) == (payout.id, "account_closed")
    assert event["data"]["previous_attributes"]["status"] == "pending"


def test_a_paid_payout_arrives_as_payout_paid(client, server, receiver):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 5_000, "currency": "eur", "destination": account.id})
    payout = client.v1.payouts.create({"amount": 5_000, "currency": "eur"}, {"stripe_account": account.id})

    server.ok("POST", f"/_control/payouts/{payout.id}/settle")
    event = verified(*receiver.next_of_type("payout.paid"))

    assert event.data.object.status == "paid"


def test_card_creation_and_updates_are_announced(client, receiver):
    holder = client.v1.issuing.cardholders.create({"name": "Amina Diallo", "billing": {"address": {
        "line1": "Rue 10", "city": "Dakar", "postal_code": "10200", "country": "SN"}}})
    card = client.v1.issuing.cards.create({"cardholder": holder.id, "currency": "eur", "type": "virtual"})

    client.v1.issuing.cards.update(card.id, {"status": "active"})
    created = verified(*receiver.next_of_type("issuing_card.created"))
    updated = verified(*receiver.next_of_type("issuing_card.updated")).to_dict()

    assert created.data.object.id == card.id
    assert (updated["data"]["object"]["status"], updated["data"]["previous_attributes"]) == (
        "active", {"status": "inactive"})


def test_a_resend_carries_the_same_bytes_with_a_fresh_valid_signature(client, server, receiver):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})
    first_signature, first_body = receiver.next_of_type("transfer.created")
    event_id = json.loads(first_body)["id"]

    server.ok("POST", f"/_control/events/{event_id}/resend", {"timestamp": int(time.time()) + 1})
    signature, body, _ = receiver.next()

    assert body == first_body
    assert signature != first_signature
    assert verified(signature, body).id == event_id


@pytest.mark.parametrize("tampering", [
    {"timestamp": int(time.time()) - 3_600},
    {"secret": "whsec_not_the_endpoints"},
    {"alter_body": True},
])
def test_a_tampered_or_stale_resend_is_rejected_by_the_sdk(client, server, receiver, tampering):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})
    event_id = json.loads(receiver.next_of_type("transfer.created")[1])["id"]

    server.ok("POST", f"/_control/events/{event_id}/resend", tampering)
    signature, body, _ = receiver.next()

    with pytest.raises(stripe.SignatureVerificationError):
        verified(signature, body)


def test_a_resend_without_signature_header_arrives_unsigned(client, server, receiver):
    account = ready_recipient(client)
    event_id = json.loads(receiver.next_of_type("account.external_account.created")[1])["id"]

    server.ok("POST", f"/_control/events/{event_id}/resend", {"omit_signature": True})
    signature, body, _ = receiver.next()

    assert signature is None
    assert json.loads(body)["account"] == account.id


def test_a_delivery_refused_by_the_endpoint_is_retried_until_accepted(client, server, receiver):
    receiver.refuse_next = 2
    account = ready_recipient(client)
    refusals = []

    while True:
        signature, body, refused = receiver.next()
        if json.loads(body)["type"] == "account.external_account.created":
            refusals.append(refused)
            if not refused:
                break

    assert refusals == [True, True, False]
    assert verified(signature, body).data.object.account == account.id


def test_every_emitted_event_can_be_fetched_from_the_events_api(client, receiver):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})
    event_id = json.loads(receiver.next_of_type("transfer.created")[1])["id"]

    fetched = client.v1.events.retrieve(event_id)
    listed = client.v1.events.list({"type": "transfer.*"})

    assert fetched.type == "transfer.created"
    assert [event.id for event in listed.data] == [event_id]


def test_an_endpoint_without_automatic_delivery_gets_events_only_when_resent_in_the_chosen_order(
        client, server, receiver):
    server.ok("DELETE", "/_control/webhooks")
    manual = server.ok("POST", "/_control/webhooks", {
        "url": receiver.url, "secret": SECRET, "enabled_events": ["transfer.*"], "auto_deliver": False})
    account = ready_recipient(client)
    first = client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})
    second = client.v1.transfers.create({"amount": 2_000, "currency": "eur", "destination": account.id})
    created = [event for event in server.ok("GET", "/_control/events")["data"]
               if event["type"] == "transfer.created"]
    events = {event["data"]["object"]["id"]: event["id"] for event in created}

    for transfer in (second, first, second):
        server.ok("POST", f"/_control/events/{events[transfer.id]}/resend", {"endpoint": manual["id"]})
    received = [verified(*receiver.next()[:2]).data.object.id for _ in range(3)]

    assert received == [second.id, first.id, second.id]
    assert receiver.deliveries.empty()


def test_with_settle_after_payouts_are_paid_and_announced_by_themselves(receiver):
    with running_server("--settle-after", "0.1", webhook_url=receiver.url, webhook_secret=SECRET) as server:
        client = stripe.StripeClient("sk_test_reintegra", base_addresses={"api": server.url})
        account = ready_recipient(client)
        client.v1.transfers.create({"amount": 3_000, "currency": "eur", "destination": account.id})

        event = verified(*receiver.next_of_type("payout.paid")).to_dict()

    assert (event["account"], event["data"]["object"]["amount"]) == (account.id, 3_000)
    assert event["data"]["object"]["automatic"] is True
