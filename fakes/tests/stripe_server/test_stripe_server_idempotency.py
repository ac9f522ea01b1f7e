"""Idempotency-Key semantics through the official SDK, including retries after injected faults."""
import threading
import time

import pytest
import stripe



def sdk(server, api_key="sk_test_reintegra", retries=2):
    return stripe.StripeClient(api_key, base_addresses={"api": server.url}, max_network_retries=retries)


@pytest.fixture
def client(server):
    return sdk(server)


@pytest.fixture
def recipient(client):
    return client.v1.accounts.create({
        "type": "custom", "country": "DE", "business_type": "individual",
        "capabilities": {"transfers": {"requested": True}},
        "individual": {"first_name": "Amina", "last_name": "Diallo",
                       "dob": {"day": 4, "month": 7, "year": 1991}},
        "tos_acceptance": {"date": 1_700_000_000, "ip": "192.0.2.10"},
        "external_account": {"object": "bank_account", "country": "DE",
                             "account_number": "DE89370400440532013000"},
    })


def transfer_params(recipient, amount=100_000):
    return {"amount": amount, "currency": "eur", "destination": recipient.id, "transfer_group": "case-7"}


def test_a_retry_after_a_500_that_followed_the_transfer_replays_it_and_makes_no_second_one(
        client, server, recipient):
    server.arm_fault(kind="api_error", path="/v1/transfers", method="POST", timing="after")

    transfer = client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "payout-41-1"})

    assert transfer.last_response.headers["Idempotent-Replayed"] == "true"
    assert [found["id"] for found in server.objects("transfer")] == [transfer.id]
    attempts = [entry for entry in server.ok("GET", "/_control/requests")["data"]
                if entry["idempotency_key"] == "payout-41-1"]
    assert [(entry["status"], entry["replayed"]) for entry in attempts] == [(500, False), (200, True)]


def test_without_retries_the_client_sees_the_500_although_the_transfer_exists(server, recipient):
    server.arm_fault(kind="api_error", path="/v1/transfers", timing="after")

    with pytest.raises(stripe.APIError) as failed:
        sdk(server, retries=0).v1.transfers.create(transfer_params(recipient), {"idempotency_key": "k-500"})

    assert failed.value.http_status == 500
    assert failed.value.json_body["error"]["type"] == "api_error"
    assert server.counts()["transfer"] == 1


def test_a_connection_dropped_after_the_transfer_is_retried_into_the_same_transfer(client, server, recipient):
    server.arm_fault(kind="drop", path="/v1/transfers")

    transfer = client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "payout-41-2"})

    assert [found["id"] for found in server.objects("transfer")] == [transfer.id]


def test_a_500_before_the_operation_leaves_the_key_free_and_the_retry_creates_the_transfer(
        client, server, recipient):
    server.arm_fault(kind="api_error", path="/v1/transfers", timing="before")

    transfer = client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "payout-41-3"})

    assert "Idempotent-Replayed" not in transfer.last_response.headers
    assert server.counts()["transfer"] == 1


def test_reusing_a_key_with_another_amount_is_an_idempotency_error(client, recipient):
    client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "payout-41-4"})

    with pytest.raises(stripe.IdempotencyError) as refused:
        client.v1.transfers.create(transfer_params(recipient, amount=100_001),
                                   {"idempotency_key": "payout-41-4"})

    error = refused.value.json_body["error"]
    assert refused.value.http_status == 400
    assert error["type"] == "idempotency_error"
    assert error["message"].startswith(
        "Keys for idempotent requests can only be used with the same parameters")
    assert "'payout-41-4'" in error["message"]


def test_reusing_a_key_on_another_endpoint_is_an_idempotency_error(client, recipient):
    client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "shared"})

    with pytest.raises(stripe.IdempotencyError) as refused:
        client.v1.accounts.update(recipient.id, {"metadata": {"payee": "P-1"}}, {"idempotency_key": "shared"})

    assert "same endpoint" in refused.value.json_body["error"]["message"]


def test_keys_are_scoped_to_the_api_key(server, client, recipient):
    first = client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "same-key"})

    second = sdk(server, api_key="sk_test_other").v1.transfers.create(
        transfer_params(recipient), {"idempotency_key": "same-key"})

    assert first.id != second.id


def test_keys_are_scoped_to_the_stripe_account(client, recipient):
    other = client.v1.accounts.create({"type": "custom", "country": "DE", "business_type": "individual",
                                       "capabilities": {"transfers": {"requested": True}},
                                       "individual": {"first_name": "Jo", "last_name": "Ba",
                                                      "dob": {"day": 1, "month": 1, "year": 1980}},
                                       "tos_acceptance": {"date": 1_700_000_000, "ip": "192.0.2.10"},
                                       "external_account": "btok_us_verified"})
    for account, currency in ((recipient, "eur"), (other, "usd")):
        client.v1.transfers.create({"amount": 1_000, "currency": currency, "destination": account.id})

    on_recipient = client.v1.payouts.create({"amount": 500, "currency": "eur"},
                                            {"idempotency_key": "po-1", "stripe_account": recipient.id})
    on_other = client.v1.payouts.create({"amount": 500, "currency": "usd"},
                                        {"idempotency_key": "po-1", "stripe_account": other.id})

    assert on_recipient.id != on_other.id


def test_a_request_refused_for_its_parameters_does_not_use_up_the_key(client, recipient):
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.transfers.create({"amount": 1_000, "currency": "eur"}, {"idempotency_key": "fixed-later"})

    transfer = client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "fixed-later"})

    assert transfer.amount == 100_000


def test_an_error_from_the_endpoint_is_replayed_even_once_the_cause_is_gone(client, server, recipient):
    server.ok("POST", "/_control/balance", {"currency": "eur", "amount": 0})
    with pytest.raises(stripe.InvalidRequestError) as first:
        client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "too-early"})
    server.ok("POST", "/_control/balance", {"currency": "eur", "amount": 1_000_000})

    with pytest.raises(stripe.InvalidRequestError) as replayed:
        client.v1.transfers.create(transfer_params(recipient), {"idempotency_key": "too-early"})

    assert first.value.code == replayed.value.code == "balance_insufficient"
    assert replayed.value.headers["Idempotent-Replayed"] == "true"
    assert server.counts().get("transfer", 0) == 0


def test_a_duplicate_sent_while_the_first_is_running_gets_a_409_key_in_use(server, recipient):
    server.arm_fault(kind="latency", path="/v1/transfers", delay_seconds=0.5)
    outcomes = []

    def first_request():
        outcomes.append(sdk(server, retries=0).v1.transfers.create(
            transfer_params(recipient), {"idempotency_key": "racing"}).id)

    runner = threading.Thread(target=first_request)
    runner.start()
    try:
        first_is_running = _latency_fault_taken(server)
        with pytest.raises(stripe.APIError) as conflict:
            sdk(server, retries=0).v1.transfers.create(transfer_params(recipient),
                                                       {"idempotency_key": "racing"})
    finally:
        runner.join()

    assert first_is_running
    assert conflict.value.http_status == 409
    assert conflict.value.json_body["error"]["code"] == "idempotency_key_in_use"
    assert conflict.value.headers["Stripe-Should-Retry"] == "true"
    assert [found["id"] for found in server.objects("transfer")] == outcomes


def _latency_fault_taken(server):
    """The first request reserves its key, then takes the latency fault and sleeps in it."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if not server.ok("GET", "/_control/faults")["data"]:
            return True
        time.sleep(0.02)
    return False
