"""Every event payments announces has someone listening: after a batch is paid, payments'
outbox is empty, finance has been told what fell due, the beneficiary's message is queued,
and monitoring's operations view shows the money paid."""
import uuid

import pytest


def eur(amount: int) -> dict:
    return {"amount": amount, "currency": "EUR"}


@pytest.fixture
def paid_case(api, programme_id, services_rpc, publish_system_event, eventually):
    """A case whose first instalment (EUR 750 of an approved EUR 1,500 plan) fell due and was
    paid by mobile money in a batch prepared and released by two finance officers."""
    status, created = api.call("POST", "/api/v1/cases", {
        "programme_id": programme_id, "given_names": "Fatoumata", "family_names": "Camara",
        "date_of_birth": "1993-09-21", "sex": "female", "nationality": "GN", "languages": ["fr"],
        "migratory_status": "irregular", "return_country": "GN", "referral_source": "self",
        "consent": {"given": True, "date": "2026-01-05", "scope": ["case_management"]},
        "intends_to_apply_for_reintegration": True}, token=api.login("caseworker"))
    assert status == 201, created
    case_id, plan_id = created["id"], str(uuid.uuid4())
    eventually(lambda: services_rpc.payments.get_beneficiary_case(case_id))
    status, method = api.call("PUT", f"/api/v1/cases/{case_id}/payout-method", {
        "route": "mobile_money", "details": {"phone": "+224620000091", "operator": "orange"}},
        token=api.login("caseworker"))
    assert status == 200, method
    services_rpc.payments.reserve_budget(f"plan:{plan_id}:v1:reserve", programme_id,
                                         f"plan:{plan_id}", eur(150_000), case_id)
    publish_system_event("plans", "plan_approved", {
        "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id, "version": 1,
        "total": eur(150_000), "currency": "EUR", "reservation_id": f"plan:{plan_id}",
        "lines": [{"category": "business", "amount": eur(150_000)}]})
    publish_system_event("intake", "case_arrived", {
        "case_id": case_id, "programme_id": programme_id, "from_status": "departed",
        "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00", "arrival_date": "2026-11-02"})
    eventually(lambda: _first_instalment(api, case_id).get("status") == "due")

    officer_a, officer_b = api.login("finance_officer"), api.login("finance-officer-2")
    status, batch = api.call("POST", "/api/v1/payout-batches", {"programme_id": programme_id},
                             token=officer_a)
    assert status == 201, batch
    status, released = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release",
                                token=officer_b)
    assert status == 202, released
    eventually(lambda: _first_instalment(api, case_id).get("status") == "paid", timeout=30)
    return case_id


def _first_instalment(api, case_id: str) -> dict:
    status, answer = api.call("GET", f"/api/v1/cases/{case_id}/instalments",
                              token=api.login("supervisor"))
    assert status == 200, answer
    return next((i for i in answer["instalments"] if i["number"] == 1), {})


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
