"""Faults at the Stripe adapters' edge: forged or replayed webhooks, shuffled deliveries, lost answers."""
import json
import random
import time

import pytest
from reintegra.money import Money

from payments.adapters.routes.stripe_bank import StripeBankRoute
from payments.adapters.routes.stripe_card import StripeCardRoute
from payments.adapters.routes.stripe_gateway import (
    StripeGateway, StripeRefusal, WebhookRejected, to_stripe_amount, verify_webhook,
)
from payments.domain.payouts import Payout, PayoutStatus
from payments.service_layer.payout_route import FAILED, SUBMITTED, RouteUnavailable

from stripe_server.signing import sign

WEBHOOK_SECRET = "whsec_reintegra_tests"  # the secret the session's stripe_server signs with


@pytest.fixture
def bank_setup(fresh_stripe):
    """A bank route (no SDK retries: each fault reaches the adapter) on a fresh Stripe fake."""
    gateway = StripeGateway("sk_test_reintegra", fresh_stripe.url, max_network_retries=0, timeout_seconds=2)
    return StripeBankRoute(gateway), fresh_stripe


def deliveries_for(receiver, eventually, payout_id, expected_types):
    """The raw signed deliveries about one payout, once every expected type has arrived."""
    seen = []

    def arrived():
        seen.extend(receiver.drain())
        types = {json.loads(body)["type"] for _, body in seen if _about(body, payout_id)}
        return set(expected_types) <= types
    eventually(arrived, timeout=10)
    return [(header, body) for header, body in seen if _about(body, payout_id)]


def _about(body, payout_id):
    return (json.loads(body)["data"]["object"].get("metadata") or {}).get("payout_id") == payout_id


def paid_bank_payout(route, server, order):
    route.submit(order)
    payout = next(p for p in server.objects("payout") if p["metadata"]["payout_id"] == order.payout_id)
    server.ok("POST", f"/_control/payouts/{payout['id']}/settle")


def test_a_delivery_from_stripe_verifies_and_maps_to_a_report(bank_setup, bank_order, webhook_receiver,
                                                               eventually):
    route, server = bank_setup
    paid_bank_payout(route, server, bank_order)

    header, body = next(d for d in deliveries_for(webhook_receiver, eventually, bank_order.payout_id,
                                                   ["payout.paid"]) if json.loads(d[1])["type"] == "payout.paid")
    event = verify_webhook(body, header, WEBHOOK_SECRET)

    reported = StripeBankRoute.report_from_event(event)
    assert (reported.payout_id, reported.report.status) == (bank_order.payout_id, "paid")
    assert reported.report.provider_reference.startswith("tr_")


@pytest.mark.parametrize("tampering, complaint", [
    ({"alter_body": True}, "signature refused"),
    ({"secret": "whsec_someone_else"}, "signature refused"),
    ({"timestamp": int(time.time()) - 3600}, "signature refused"),
    ({"omit_signature": True}, "missing Stripe-Signature"),
])
def test_a_changed_byte_wrong_secret_old_timestamp_or_missing_header_is_rejected(
        bank_setup, bank_order, webhook_receiver, eventually, tampering, complaint):
    route, server = bank_setup
    route.submit(bank_order)
    event_id = json.loads(deliveries_for(webhook_receiver, eventually, bank_order.payout_id,
                                         ["transfer.created"])[0][1])["id"]

    eventually(lambda: server.ok("GET", "/_control/webhooks")["idle"])
    webhook_receiver.drain()

    server.ok("POST", f"/_control/events/{event_id}/resend", tampering)
    [(header, body)] = webhook_receiver.drain()

    with pytest.raises(WebhookRejected, match=complaint):
        verify_webhook(body, header, WEBHOOK_SECRET)


def test_an_old_but_correctly_signed_delivery_is_a_replay_and_rejected():
    body = json.dumps({"id": "evt_1", "type": "payout.paid", "created": 1,
                       "data": {"object": {"object": "payout"}}}).encode()

    with pytest.raises(WebhookRejected, match="tolerance"):
        verify_webhook(body, sign(body, WEBHOOK_SECRET, timestamp=time.time() - 301), WEBHOOK_SECRET)


def test_verification_refuses_to_run_without_a_replay_tolerance():
    body = b'{"id": "evt_1"}'

    with pytest.raises(ValueError):
        verify_webhook(body, sign(body, WEBHOOK_SECRET), WEBHOOK_SECRET, tolerance=0)


def apply_in_order(deliveries, payout):
    """What the engine does with deliveries: verify, skip seen event ids, apply forward only."""
    seen = set()
    for header, body in deliveries:
        event = verify_webhook(body, header, WEBHOOK_SECRET)
        reported = StripeBankRoute.report_from_event(event) or StripeCardRoute.report_from_event(event)
        if event.id in seen or reported is None:
            continue
        seen.add(event.id)
        report = reported.report
        payout.apply_provider_status(PayoutStatus(report.status), report.provider_reference,
                                     report.failure_reason)
    return payout


def released(order):
    return Payout(order.payout_id, "inst", "case", order.payee.id, "bank_account", order.amount, 1,
                  order.idempotency_key, status=PayoutStatus.RELEASED)


@pytest.mark.parametrize("outcome_iban, final, reason", [
    ("DE89370400440532013000", PayoutStatus.PAID, None),
    ("DE35370400440532013002", PayoutStatus.FAILED, "account_closed"),
])
def test_every_webhook_delivered_three_times_in_shuffled_order_reaches_the_same_final_state(
        bank_setup, bank_order_for, webhook_receiver, eventually, outcome_iban, final, reason):
    route, server = bank_setup
    order = bank_order_for(outcome_iban)
    paid_bank_payout(route, server, order)
    settled = "payout.paid" if final is PayoutStatus.PAID else "payout.failed"
    deliveries = deliveries_for(webhook_receiver, eventually, order.payout_id,
                                ["transfer.created", "payout.created", settled])

    outcomes = set()
    for seed in range(5):
        shuffled = deliveries * 3
        random.Random(seed).shuffle(shuffled)
        payout = apply_in_order(shuffled, released(order))
        outcomes.add((payout.status, payout.failure_reason, payout.provider_reference))

    assert outcomes == {(final, reason, route.fetch_status(order).provider_reference)}


def test_stripe_answering_500_after_creating_the_transfer_is_retried_with_the_same_key_into_one_transfer(
        fresh_stripe, bank_order):
    route = StripeBankRoute(StripeGateway("sk_test_reintegra", fresh_stripe.url, max_network_retries=1,
                                          timeout_seconds=2))
    route.account_holder_name(bank_order.payee)
    fresh_stripe.arm_fault(kind="api_error", timing="after", path="/v1/transfers", method="POST")

    report = route.submit(bank_order)

    posts = [r for r in fresh_stripe.ok("GET", "/_control/requests")["data"]
             if (r["method"], r["path"]) == ("POST", "/v1/transfers")]
    assert [(r["status"], r["idempotency_key"], r["replayed"]) for r in posts] == [
        (500, bank_order.idempotency_key, False), (200, bank_order.idempotency_key, True)]
    assert [t["id"] for t in fresh_stripe.objects("transfer")] == [report.provider_reference]


def test_when_retries_run_out_the_engine_retry_finds_the_transfer_made_behind_the_500(bank_setup, bank_order):
    route, server = bank_setup
    route.account_holder_name(bank_order.payee)
    server.arm_fault(kind="api_error", timing="after", path="/v1/transfers", method="POST")

    with pytest.raises(RouteUnavailable):
        route.submit(bank_order)
    report = route.submit(bank_order)

    assert report.status == SUBMITTED
    assert [t["id"] for t in server.objects("transfer")] == [report.provider_reference]


def test_the_sdk_retries_a_dropped_answer_itself_with_our_key_and_one_transfer_results(fresh_stripe, bank_order):
    route = StripeBankRoute(StripeGateway("sk_test_reintegra", fresh_stripe.url, max_network_retries=2,
                                          timeout_seconds=2))
    route.account_holder_name(bank_order.payee)
    fresh_stripe.arm_fault(kind="drop", path="/v1/transfers", method="POST")

    report = route.submit(bank_order)

    assert report.status == SUBMITTED
    assert fresh_stripe.counts()["transfer"] == 1


def test_a_rate_limit_with_stripe_should_retry_is_route_unavailable(bank_setup, bank_order):
    route, server = bank_setup
    server.arm_fault(kind="rate_limit", path="/v1/*", count=20)

    with pytest.raises(RouteUnavailable):
        route.submit(bank_order)


@pytest.mark.parametrize("fault, reason", [
    ({"kind": "error", "status": 400, "code": "amount_too_large", "message": "Amount too large"},
     "limit_exceeded"),
    ({"kind": "error", "status": 400, "code": "invalid_currency", "param": "currency"}, "currency_not_supported"),
    ({"kind": "card_error", "code": "card_declined", "decline_code": "generic_decline"}, "provider_rejected"),
])
def test_stripe_refusals_become_our_failure_reasons(bank_setup, bank_order, fault, reason):
    route, server = bank_setup
    route.account_holder_name(bank_order.payee)
    server.arm_fault(path="/v1/transfers", method="POST", **fault)

    report = route.submit(bank_order)

    assert (report.status, report.failure_reason) == (FAILED, reason)
    assert server.counts().get("transfer", 0) == 0


def test_a_payout_refused_after_the_transfer_takes_the_money_back(bank_setup, bank_order):
    route, server = bank_setup
    route.account_holder_name(bank_order.payee)
    server.arm_fault(kind="error", path="/v1/payouts", method="POST", code="payouts_not_allowed",
                     message="Payouts are not enabled for this account.")

    report = route.submit(bank_order)

    transfer = server.objects("transfer")[0]
    assert (report.status, report.failure_reason) == (FAILED, "provider_rejected")
    assert transfer["reversed"] is True and transfer["amount_reversed"] == bank_order.amount.amount


def test_an_amount_stripe_cannot_express_is_refused_before_any_call():
    with pytest.raises(ValueError):
        to_stripe_amount(Money(1_005, "KWD"))
    assert to_stripe_amount(Money(1_000, "KWD")) == (1_000, "kwd")
    assert to_stripe_amount(Money(5_000, "UGX")) == (500_000, "ugx")
    assert to_stripe_amount(Money(5_000, "XOF")) == (5_000, "xof")


def test_a_refusal_is_never_raised_out_of_submit(bank_setup, bank_order):
    route, server = bank_setup
    server.arm_fault(kind="error", path="/v1/accounts", method="POST", code="account_number_invalid")

    try:
        report = route.submit(bank_order)
    except StripeRefusal:
        pytest.fail("a refusal must be a failed report")
    assert report.failure_reason == "account_invalid"


def test_each_stripe_call_is_timed_and_its_failures_counted(bank_setup, bank_order):
    from prometheus_client import REGISTRY

    def sample(name, **labels):
        return REGISTRY.get_sample_value(name, {"route": "stripe", **labels}) or 0
    route, server = bank_setup
    timed_before = sample("reintegra_provider_call_seconds_count", call="create_transfer")
    limited_before = sample("reintegra_provider_errors_total", call="create_transfer", error="429")
    route.account_holder_name(bank_order.payee)
    server.arm_fault(kind="rate_limit", path="/v1/transfers", method="POST", count=20)

    with pytest.raises(RouteUnavailable):
        route.submit(bank_order)

    assert sample("reintegra_provider_call_seconds_count", call="create_transfer") > timed_before
    assert sample("reintegra_provider_errors_total", call="create_transfer", error="429") > limited_before
