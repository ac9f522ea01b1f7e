"""Payments' events become the operations view of a programme: once each, in any order."""
import pytest
from nameko.testing.services import entrypoint_hook
from prometheus_client import REGISTRY

from reintegra.contracts import new_envelope

EUR_750 = {"amount": 75_000, "currency": "EUR"}
PAYOUT = {"payout_id": "po-1", "instalment_id": "in-1", "case_id": "case-1",
          "route": "mobile_money", "amount": EUR_750}


@pytest.fixture
def service_config(service_config):
    # Room for a payout event to wait, through its retries, for its case's registration.
    return {**service_config, "RETRY": {"max_attempts": 8, "first_delay_ms": 50}}


@pytest.fixture
def summary(service):
    def ask(programme_id="p-1"):
        with entrypoint_hook(service, "operations_summary") as entrypoint:
            return entrypoint(programme_id)
    return ask


@pytest.fixture
def send(publish_event):
    def publish(event_type: str, data: dict, times: int = 1, source: str = "payments") -> None:
        envelope = new_envelope(source, event_type, data).to_dict()
        for _ in range(times):
            publish_event(envelope, source=source)
    return publish


@pytest.fixture
def registered_case(publish_event, case_registered_event, service, eventually):
    publish_event(case_registered_event)
    with entrypoint_hook(service, "get_followed_case") as lookup:
        eventually(lambda: lookup("case-1"))


def test_a_payout_paid_twice_and_released_late_counts_once_as_paid(
        registered_case, send, summary, service, events_handled, eventually):
    send("instalment_due", {"instalment_id": "in-1", "case_id": "case-1", "plan_id": "plan-1",
                            "number": 1, "amount": EUR_750})
    send("payout_paid", PAYOUT, times=2)
    eventually(lambda: summary()["paid"])
    send("payout_released", {**PAYOUT, "batch_id": "b-1"})
    eventually(lambda: events_handled(service.config["DATABASE_URL"]) == 4)

    view = summary()
    assert view["routes"] == [{"route": "mobile_money", "paid": [EUR_750],
                               "payouts": {"released": 0, "paid": 1, "failed": 0}}]
    assert view["instalments"] == {"due": 1, "awaiting_payment": 0, "amount_awaiting_payment": []}
    assert REGISTRY.get_sample_value("reintegra_operations_paid_minor_units", {
        "programme_id": "p-1", "route": "mobile_money", "currency": "EUR"}) == 75_000


def test_budget_reserved_and_released_delivered_twice_are_counted_once(
        send, summary, eventually):
    reserved = {"reservation_id": "plan:plan-1", "programme_id": "p-1",
                "amount": {"amount": 150_000, "currency": "EUR"}}
    send("budget_reserved", reserved, times=2)
    send("budget_released", {**reserved, "amount": {"amount": 40_000, "currency": "EUR"}}, times=2)

    view = eventually(lambda: (lambda v: v if v["budget"] and v["budget"][0]["released"] else None)(
        summary()))
    assert view["budget"] == [{"currency": "EUR", "reserved": 150_000, "released": 40_000}]


def test_a_payout_of_a_case_registered_later_is_retried_until_the_case_is_known(
        send, summary, publish_event, case_registered_event, eventually):
    send("payout_failed", {**PAYOUT, "reason": "PAYEE_NOT_FOUND"})
    publish_event(case_registered_event)

    view = eventually(lambda: summary()["routes"], timeout=10)
    assert view == [{"route": "mobile_money", "paid": [],
                     "payouts": {"released": 0, "paid": 0, "failed": 1}}]
