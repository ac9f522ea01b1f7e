"""Every event payments announces has someone listening: after a batch is paid, payments'
outbox is empty, finance has been told what fell due, the beneficiary's message is queued,
and monitoring's operations view shows the money paid."""
import pytest


@pytest.fixture
def paid_case(journey, programme_id):
    """A case whose first instalment (EUR 750 of an approved EUR 1,500 plan) fell due and was
    paid by mobile money in a batch prepared and released by two finance officers."""
    case_id = journey.register(programme_id, "Fatoumata", "Camara", born="1993-09-21")
    journey.set_method(case_id, "mobile_money", {"phone": "+224620000091", "operator": "orange"})
    journey.make_due(programme_id, case_id)
    journey.release_batch(programme_id)
    journey.instalment_when(case_id, "paid", timeout=30)
    return case_id


def test_after_a_batch_is_paid_payments_has_no_event_left_waiting_for_a_listener(
        paid_case, services_rpc, eventually):
    assert eventually(lambda: services_rpc.payments.health()["outbox_backlog"] == 0, timeout=20)


def test_finance_is_told_the_instalment_fell_due_and_the_beneficiary_message_is_queued(
        paid_case, services_rpc, eventually):
    notices = eventually(lambda: (lambda n: n if n["beneficiary"] else None)(
        services_rpc.notifications.notices_for_case(paid_case)))
    assert {(n["kind"], n["audience"]) for n in notices["staff"]} >= {
        ("instalment_due", "finance_officer"), ("payout_paid", "caseworker")}
    [message] = notices["beneficiary"]
    assert message["status"] == "queued" and message["channel"] is None
    assert message["text"] == "Your reintegration allowance of 750.00 EUR has been sent by mobile money."
    assert all("Fatoumata" not in n["text"] for n in notices["staff"])
    finance = services_rpc.notifications.notices_for_role("finance_officer", 500)["notices"]
    assert any(n["case_id"] == paid_case and n["kind"] == "instalment_due" for n in finance)


def test_monitoring_shows_what_the_budget_says_was_paid(
        paid_case, api, programme_id, services_rpc, eventually):
    def paid_in_both():
        status, budget = api.call("GET", f"/api/v1/programmes/{programme_id}/budget",
                                  token=api.login("finance_officer"))
        assert status == 200, budget
        view = services_rpc.monitoring.operations_summary(programme_id)
        return view if view["paid"] == [budget["paid"]] else None
    view = eventually(paid_in_both, timeout=20)
    [mobile_money] = [r for r in view["routes"] if r["route"] == "mobile_money"]
    assert mobile_money["payouts"]["paid"] >= 1 and mobile_money["paid"][0]["amount"] >= 75_000
    assert view["budget"][0]["reserved"] >= 150_000
