"""Top-ups of the Issuing balance through the official SDK: pending, then succeeded or failed."""
import pytest
import stripe



def issuing_eur(client):
    return {entry.currency: entry.amount for entry in client.v1.balance.retrieve().issuing.available}["eur"]


def test_a_top_up_is_pending_until_it_settles_into_the_issuing_balance(client, server):
    before = issuing_eur(client)

    topup = client.v1.topups.create({"amount": 50_000, "currency": "eur", "destination_balance": "issuing",
                                     "metadata": {"payout_id": "p-1"}})
    pending_balance = issuing_eur(client)
    settled = server.ok("POST", f"/_control/topups/{topup.id}/settle")

    assert (topup.status, topup.metadata["payout_id"]) == ("pending", "p-1")
    assert pending_balance == before
    assert settled["status"] == "succeeded"
    assert issuing_eur(client) == before + 50_000
    assert client.v1.topups.retrieve(topup.id).status == "succeeded"


def test_a_failed_top_up_carries_its_failure_code_and_adds_nothing(client, server):
    before = issuing_eur(client)
    topup = client.v1.topups.create({"amount": 50_000, "currency": "eur", "destination_balance": "issuing"})

    failed = server.ok("POST", f"/_control/topups/{topup.id}/fail", {"failure_code": "insufficient_funds"})

    assert (failed["status"], failed["failure_code"]) == ("failed", "insufficient_funds")
    assert issuing_eur(client) == before
    assert server.control("POST", f"/_control/topups/{topup.id}/settle")[0] == 200
    assert client.v1.topups.retrieve(topup.id).status == "failed"


def test_the_same_idempotency_key_makes_one_top_up(client, server):
    first = client.v1.topups.create({"amount": 1_000, "currency": "eur"}, {"idempotency_key": "k-1"})
    again = client.v1.topups.create({"amount": 1_000, "currency": "eur"}, {"idempotency_key": "k-1"})

    assert first.id == again.id
    assert [topup.id for topup in client.v1.topups.list().data] == [first.id]


def test_an_unknown_destination_balance_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.topups.create({"amount": 1_000, "currency": "eur", "destination_balance": "treasury"})

    assert refused.value.param == "destination_balance"
