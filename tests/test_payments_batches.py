"""Paying the first instalment end to end: events make it due, a finance officer prepares a
batch at the gateway, another releases it, the sandbox partner is paid exactly once."""
import uuid

import pytest


@pytest.fixture
def case_with_due_instalment(journey, programme_id):
    """A registered case with a mobile-money wallet, an approved EUR 1,500 plan (reserved as
    plans reserves it, announced as plans announces it) and an arrival: instalment 1 is due."""
    def make(given_names: str, phone: str) -> str:
        case_id = journey.register(programme_id, given_names, "Baldé", sex="male")
        journey.set_method(case_id, "mobile_money", {"phone": phone, "operator": "orange"})
        journey.make_due(programme_id, case_id)
        return case_id
    return make


def test_a_batch_released_by_a_second_officer_pays_each_due_instalment_once(
        api, programme_id, partner, case_with_due_instalment, journey):
    cases = [case_with_due_instalment("Alpha", "+224620000001"),
             case_with_due_instalment("Ibrahima", "+224620000002")]
    officer_a, officer_b = api.login("finance_officer"), api.login("finance-officer-2")

    status, batch = api.call("POST", "/api/v1/payout-batches", {"programme_id": programme_id},
                             token=officer_a)
    assert status == 201, batch
    assert batch["status"] == "prepared" and batch["progress"]["total"] == 2

    # The second officer finds it among the batches waiting for release.
    status, waiting = api.call("GET", f"/api/v1/payout-batches?status=prepared&programme={programme_id}",
                               token=officer_b)
    assert status == 200 and [b["id"] for b in waiting["items"]] == [batch["id"]]
    assert waiting["items"][0]["prepared_by"] == batch["prepared_by"]
    assert waiting["items"][0]["payout_count"] == 2

    status, refused = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release", token=officer_a)
    assert status == 403, refused
    status, released = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release", token=officer_b)
    assert status == 202, released
    status, again = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release", token=officer_b)
    assert status == 409 and again["error"]["batch"]["status"] in ("released", "completed")

    done = journey.completed_batch(batch["id"])
    assert done["progress"]["paid"] == 2
    payout_ids = {p["id"] for p in done["payouts"]}
    counts = partner.control.transfers()["countsByExternalId"]
    assert {pid: counts.get(pid) for pid in payout_ids} == {pid: 1 for pid in payout_ids}
    for case_id in cases:
        paid = journey.instalment(case_id)
        assert paid["status"] == "paid" and paid["paid"] == journey.eur(75_000)
        assert [p["status"] for p in paid["payouts"]] == ["paid"]
    status, budget = api.call("GET", f"/api/v1/programmes/{programme_id}/budget",
                              token=api.login("finance_officer"))
    assert status == 200 and budget["paid"]["amount"] >= 150_000


def test_preparing_with_the_same_idempotency_key_twice_returns_the_first_batch(
        api, programme_id, case_with_due_instalment):
    case_with_due_instalment("Mamadou", "+224620000003")
    officer = api.login("finance_officer")
    key = str(uuid.uuid4())

    def prepare(body):
        request_headers = {"Idempotency-Key": key}
        return api.call("POST", "/api/v1/payout-batches", body, token=officer, headers=request_headers)

    status, first = prepare({"programme_id": programme_id})
    assert status == 201, first
    status, second = prepare({"programme_id": programme_id})
    assert status == 201 and second["id"] == first["id"]
    status, conflict = prepare({"programme_id": "another-programme"})
    assert status == 409, conflict


def test_the_batch_list_is_for_finance_and_refuses_a_bad_query_naming_each_field(api):
    status, _ = api.call("GET", "/api/v1/payout-batches", token=api.login("caseworker"))
    assert status == 403
    status, answer = api.call("GET", "/api/v1/payout-batches?status=sent&limit=1000",
                              token=api.login("finance_officer"))
    assert status == 400 and set(answer["error"]["fields"]) == {"status", "limit"}


def test_a_payout_method_with_a_bad_phone_number_is_400_naming_the_field(api, programme_id):
    status, answer = api.call("PUT", "/api/v1/cases/any-case/payout-method", {
        "route": "mobile_money", "details": {"phone": "0700 12", "operator": "orange"}},
        token=api.login("caseworker"))
    assert status == 400 and "details.phone" in answer["error"]["fields"]


def test_the_budget_is_for_finance_and_admin_only(api, programme_id):
    status, _ = api.call("GET", f"/api/v1/programmes/{programme_id}/budget", token=api.login("caseworker"))
    assert status == 403
    status, budget = api.call("GET", f"/api/v1/programmes/{programme_id}/budget", token=api.login("admin"))
    assert status == 200 and budget["total"] == {"amount": 5_000_000, "currency": "EUR"}
