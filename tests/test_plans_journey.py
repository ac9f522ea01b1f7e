"""From a case whose return is approved to an approved plan holding its reservation in the
programme budget, driven through the gateway's HTTP API."""
import json
import uuid

import pika
import pytest

from reintegra.contracts import new_envelope

SCORES = {"needs": 8, "vulnerability": 6, "skills": 4, "sustainability_and_feasibility": 7,
          "monitoring_available": 10}
TRANSITIONS = "/api/v1/cases/{case_id}/transitions"


def a_person(programme_id):
    # A name of its own per case (letters only), so no two cases look like duplicates.
    surname = uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))
    return {"programme_id": programme_id, "given_names": "Fatou",
            "family_names": f"Camara {surname.capitalize()}", "date_of_birth": "1988-05-06",
            "sex": "female", "nationality": "SN", "return_country": "SN", "languages": ["fr"],
            "migratory_status": "irregular", "referral_source": "self",
            "consent": {"given": True, "date": "2026-11-01", "scope": ["case_management"]},
            "intends_to_apply_for_reintegration": True}


def line(amount, category="income_generating_activity", **extra):
    return {"category": category, "description": "market stall and first stock",
            "amount": {"amount": amount, "currency": "EUR"}, **extra}


@pytest.fixture(scope="module")
def journey(api, system):
    """Walks a case along intake's journey: through the API when intake serves transitions,
    else by announcing intake's transition events on the system's broker."""
    _, openapi = api.call("GET", "/api/v1/openapi.json")
    served = TRANSITIONS in openapi["paths"]

    def walk(case_id, programme_id, *statuses):
        previous = "registered"
        for status in statuses:
            if served:
                code, answer = api.call("POST", TRANSITIONS.format(case_id=case_id),
                                        {"to": status, "reason": "end-to-end journey"},
                                        token=api.login("supervisor"))
                assert code == 200, answer
            else:
                _announce(system["amqp_uri"], case_id, programme_id, previous, status)
            previous = status
    return walk


def _announce(amqp_uri, case_id, programme_id, from_status, to_status):
    extra = {"arrival_date": "2026-12-01"} if to_status == "arrived" else {}
    extra |= {"travel_date": "2026-11-20"} if to_status == "travel_booked" else {}
    body = new_envelope("intake", f"case_{to_status}", {
        "case_id": case_id, "programme_id": programme_id, "from_status": from_status,
        "to_status": to_status, "at": "2026-11-02T10:00:00+00:00", **extra}).to_dict()
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish("intake.events", body["event_type"], json.dumps(body).encode(),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                               message_id=body["event_id"]))
    connection.close()


@pytest.fixture
def return_approved_case(api, programme_id, journey, services_rpc, eventually):
    status, created = api.call("POST", "/api/v1/cases", a_person(programme_id),
                               token=api.login("caseworker"))
    assert status == 201, created
    case_id = created["id"]
    eventually(lambda: services_rpc.plans.get_case_facts(case_id))
    journey(case_id, programme_id, "counselled", "return_approved")
    eventually(lambda: services_rpc.plans.get_case_facts(case_id)["status"] == "return_approved")
    return case_id


def test_a_return_approved_case_gets_an_approved_plan_holding_its_reservation_in_the_budget(
        api, programme_id, return_approved_case):
    caseworker, supervisor = api.login("caseworker"), api.login("supervisor")
    finance = api.login("finance_officer")
    case_id = return_approved_case

    status, application = api.call("POST", f"/api/v1/cases/{case_id}/application", {
        "interview_date": "2026-11-03", "needs": "income for the household",
        "skills": "trading", "intended_use": "market stall", "household_situation": "alone",
        "scores": SCORES}, token=caseworker)
    assert status == 201, application
    assert (application["score"], application["weights_version"]) == ("69.0", "default-1")

    status, plan = api.call("POST", f"/api/v1/cases/{case_id}/plans", {"lines": [
        line(120_000), line(30_000, "housing", justification="no safe place to live")]},
        token=caseworker)
    assert status == 201, plan
    status, ranking = api.call("GET", f"/api/v1/programmes/{programme_id}/applications",
                               token=supervisor)
    assert status == 200, ranking
    mine = next(r for r in ranking["items"] if r["case_id"] == case_id)
    assert mine["needed"] == {"amount": 150_000, "currency": "EUR"} and mine["covered"]

    status, _ = api.call("POST", f"/api/v1/plans/{plan['id']}/submit", token=caseworker)
    assert status == 200
    _, before = api.call("GET", f"/api/v1/programmes/{programme_id}/budget", token=finance)
    status, refused = api.call("POST", f"/api/v1/plans/{plan['id']}/approve", token=caseworker)
    assert status == 403, refused
    status, approved = api.call("POST", f"/api/v1/plans/{plan['id']}/approve", token=supervisor)
    assert status == 200, approved
    assert approved["status"] == "approved"
    assert approved["reservation_id"] == f"plan:{plan['id']}"

    status, after = api.call("GET", f"/api/v1/programmes/{programme_id}/budget", token=finance)
    assert status == 200, after
    assert after["reserved"]["amount"] - before["reserved"]["amount"] == 150_000
    status, shown = api.call("GET", f"/api/v1/plans/{plan['id']}", token=finance)
    assert status == 200 and shown["versions"][0]["approved_by"] is not None


def test_a_plan_over_the_cap_is_422_naming_the_cap_and_the_excess(api, return_approved_case):
    status, answer = api.call("POST", f"/api/v1/cases/{return_approved_case}/plans", {
        "lines": [line(150_000), line(50_001, "vocational_training")]},
        token=api.login("caseworker"))
    assert status == 422, answer
    assert "2000.00 EUR" in answer["error"]["message"]
    assert "0.01 EUR" in answer["error"]["message"]


def test_a_rejection_needs_a_reason_and_is_kept_in_the_history(api, return_approved_case):
    caseworker, supervisor = api.login("caseworker"), api.login("supervisor")
    _, plan = api.call("POST", f"/api/v1/cases/{return_approved_case}/plans",
                       {"lines": [line(80_000)]}, token=caseworker)
    api.call("POST", f"/api/v1/plans/{plan['id']}/submit", token=caseworker)
    status, answer = api.call("POST", f"/api/v1/plans/{plan['id']}/reject", {},
                              token=supervisor)
    assert status == 400 and "reason" in answer["error"]["fields"]
    status, rejected = api.call("POST", f"/api/v1/plans/{plan['id']}/reject",
                                {"reason": "the quote is out of date"}, token=supervisor)
    assert status == 200, rejected
    assert rejected["versions"][0]["rejection_reason"] == "the quote is out of date"


def test_an_application_before_return_approval_is_409(api, programme_id, services_rpc,
                                                      eventually):
    _, created = api.call("POST", "/api/v1/cases", a_person(programme_id),
                          token=api.login("caseworker"))
    eventually(lambda: services_rpc.plans.get_case_facts(created["id"]))
    status, answer = api.call("POST", f"/api/v1/cases/{created['id']}/application", {
        "interview_date": "2026-11-03", "needs": "n", "intended_use": "u", "scores": SCORES},
        token=api.login("caseworker"))
    assert status == 409, answer
