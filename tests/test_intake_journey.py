"""Intake end to end through the gateway: registration with duplicates reported, the
journey to `arrived` announced to the other services, roles and sensitive data."""
import json
import random
from datetime import date, timedelta

import pika
import pytest

from reintegra.messaging.carrier import carried_events

SYLLABLES = ("ka", "mi", "na", "ro", "su", "te", "la", "bo", "di", "fa", "ye", "zu")


def a_name(rng) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(4)).capitalize()


@pytest.fixture
def a_person(programme_id):
    """A complete registration of someone no other test registers (own names, birth date
    and phone), so duplicate checks only ever see what a test set up itself."""
    rng = random.Random()

    def make(**overrides):
        return {
            "programme_id": programme_id, "given_names": a_name(rng), "family_names": a_name(rng),
            "date_of_birth": date(1970 + rng.randrange(30), 1 + rng.randrange(12),
                                  1 + rng.randrange(28)).isoformat(),
            "sex": "female", "nationality": "GN", "languages": ["fr"],
            "contact": {"phone": f"+2246{rng.randrange(10**7, 10**8)}"},
            "migratory_status": "irregular", "return_country": "GN", "referral_source": "self",
            "consent": {"given": True, "date": date.today().isoformat(),
                        "scope": ["case_management", "return_travel"]},
            "intends_to_apply_for_reintegration": True, **overrides}
    return make


@pytest.fixture
def intake_events(system):
    """A queue of our own bound to intake's exchange in the system's vhost: what intake
    announces, as any other service would receive it."""
    connection = pika.BlockingConnection(pika.URLParameters(system["amqp_uri"]))
    channel = connection.channel()
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, "intake.events", routing_key="#")
    received = []

    def for_case(case_id):
        while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
            received.extend(carried_events(json.loads(message[2])))
        return [m for m in received if m["data"].get("case_id") == case_id]
    yield for_case
    connection.close()


def test_register_duplicates_and_the_journey_to_arrived_reach_the_other_services(
        api, a_person, intake_events, services_rpc, eventually):
    caseworker, supervisor = api.login("caseworker"), api.login("supervisor")
    person = a_person()
    status, first = api.call("POST", "/api/v1/cases", person, token=caseworker)
    assert status == 201 and first["status"] == "registered" and first["possible_duplicates"] == []
    again = {**person, "given_names": person["family_names"], "family_names": person["given_names"],
             "contact": {"phone": person["contact"]["phone"]}}
    status, second = api.call("POST", "/api/v1/cases", again, token=caseworker)
    assert status == 201
    assert second["possible_duplicates"] == [
        {"case_id": first["id"], "reasons": ["same_phone", "same_name_dob_nationality"]}]
    status, _ = api.call("POST", f"/api/v1/cases/{second['id']}/duplicates/{first['id']}",
                         {"decision": "same_person"}, token=supervisor)
    assert status == 200
    case_id = first["id"]

    today = date.today()
    for token, move in ((caseworker, {"to": "counselled", "reason": "first session"}),
                        (supervisor, {"to": "return_approved", "reason": "cleared"}),
                        (caseworker, {"to": "travel_booked", "data": {
                            "travel_date": (today - timedelta(days=1)).isoformat(),
                            "destination_airport": "CKY"}}),
                        (caseworker, {"to": "departed"}),
                        (caseworker, {"to": "arrived", "data": {"arrival_date": today.isoformat()}})):
        status, moved = api.call("POST", f"/api/v1/cases/{case_id}/transitions", move, token=token)
        assert status == 200 and moved["status"] == move["to"], moved

    status, case = api.call("GET", f"/api/v1/cases/{case_id}", token=supervisor)
    assert case["status"] == "arrived" and case["linked_cases"] == [second["id"]]
    assert [h["to_status"] for h in case["history"]] == [
        "registered", "counselled", "return_approved", "travel_booked", "departed", "arrived"]

    arrived = eventually(lambda: [m for m in intake_events(case_id) if m["event_type"] == "case_arrived"])
    assert arrived[0]["data"]["arrival_date"] == today.isoformat()
    assert eventually(lambda: services_rpc.plans.get_case_facts(case_id))["status"]
    assert eventually(lambda: services_rpc.payments.get_beneficiary_case(case_id))["return_country"] == "GN"
    assert eventually(lambda: services_rpc.monitoring.get_followed_case(case_id))["programme_id"] == person["programme_id"]
    announced = eventually(lambda: len(intake_events(case_id)) >= 6 and intake_events(case_id))
    assert sorted(m["event_type"] for m in announced) == sorted(["case_registered", "case_counselled", "case_return_approved",
                                      "case_travel_booked", "case_departed", "case_arrived"])


def test_an_illegal_move_is_409_listing_the_allowed_ones(api, a_person):
    token = api.login("caseworker")
    _, created = api.call("POST", "/api/v1/cases", a_person(), token=token)
    status, answer = api.call("POST", f"/api/v1/cases/{created['id']}/transitions",
                              {"to": "arrived"}, token=token)
    assert status == 409
    assert answer["error"]["allowed"] == ["counselled", "rejected", "withdrawn"]


def test_a_retried_move_with_the_same_idempotency_key_moves_once(api, a_person):
    token = api.login("caseworker")
    _, created = api.call("POST", "/api/v1/cases", a_person(), token=token)
    path = f"/api/v1/cases/{created['id']}/transitions"
    move, key = {"to": "counselled"}, {"Idempotency-Key": f"retry-{created['id']}"}
    first = api.call("POST", path, move, token=token, headers=key)
    again = api.call("POST", path, move, token=token, headers=key)
    assert first == again and first[0] == 200
    other = api.call("POST", path, {"to": "withdrawn", "reason": "x"}, token=token, headers=key)
    assert other[0] == 409
    _, case = api.call("GET", f"/api/v1/cases/{created['id']}", token=token)
    assert [h["to_status"] for h in case["history"]] == ["registered", "counselled"]


def test_a_role_without_permission_gets_403_and_never_sees_sensitive_fields(api, a_person):
    owner = api.login("caseworker")
    person = a_person(vulnerability_factors=["victim_of_trafficking", "physical_or_mental_illness"])
    _, created = api.call("POST", "/api/v1/cases", person, token=owner)
    path = f"/api/v1/cases/{created['id']}"
    assert api.call("GET", path, token=api.login("operations"))[0] == 403
    assert api.call("POST", f"{path}/transitions", {"to": "counselled"}, token=api.login("auditor"))[0] == 403
    assert api.call("POST", f"{path}/transitions", {"to": "counselled"}, token=api.login("finance_officer"))[0] == 403
    for role in ("caseworker-2", "finance_officer", "admin", "auditor"):
        status, case = api.call("GET", path, token=api.login(role))
        assert status == 200 and case["protected"] is True and "sensitive" not in case
        assert "trafficking" not in json.dumps(case) and "illness" not in json.dumps(case)
    for role in ("caseworker", "supervisor"):
        _, case = api.call("GET", path, token=api.login(role))
        assert case["sensitive"]["vulnerability_factors"] == [
            "physical_or_mental_illness", "victim_of_trafficking"]
    _, found = api.call("GET", f"/api/v1/cases?q={person['given_names'][:4]}", token=api.login("admin"))
    assert created["id"] in [item["id"] for item in found["items"]]
    assert "trafficking" not in json.dumps(found)


def test_search_pages_newest_first_with_filters(api, a_person):
    token = api.login("caseworker")
    family = a_person()["family_names"]
    ids = [api.call("POST", "/api/v1/cases", a_person(family_names=family), token=token)[1]["id"]
           for _ in range(3)]
    status, page = api.call("GET", f"/api/v1/cases?q={family.lower()}&status=registered&limit=2", token=token)
    assert status == 200 and [i["id"] for i in page["items"]] == ids[:0:-1]
    _, rest = api.call("GET", f"/api/v1/cases?q={family}&limit=2&cursor={page['next_cursor']}", token=token)
    assert [i["id"] for i in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    status, refused = api.call("GET", "/api/v1/cases?status=flying", token=token)
    assert status == 400 and set(refused["error"]["fields"]) == {"status"}


def test_an_ineligible_person_is_registered_as_rejected_with_the_reason(api, a_person):
    status, created = api.call("POST", "/api/v1/cases", a_person(nationality="PT"), token=api.login("caseworker"))
    assert status == 201 and created["status"] == "rejected"
    assert "nationality PT is excluded" in created["eligibility_reasons"][0]


def test_a_bad_registration_is_400_naming_every_field(api, a_person):
    status, answer = api.call("POST", "/api/v1/cases", a_person(
        sex="robot", languages=[], consent={"given": False}, contact={"phone": "0912"},
        household_members=[{"relationship": "child", "date_of_birth": "1900-01-01"}]),
        token=api.login("caseworker"))
    assert status == 400
    assert set(answer["error"]["fields"]) == {
        "sex", "languages", "consent.given", "consent.date", "consent.scope", "contact.phone",
        "household_members.0.date_of_birth"}


def test_only_auditors_read_the_audit_trail_and_it_names_sensitive_reads(api, a_person):
    caseworker = api.login("caseworker")
    _, created = api.call("POST", "/api/v1/cases", a_person(vulnerability_factors=["substance_dependence"]),
                          token=caseworker)
    api.call("GET", f"/api/v1/cases/{created['id']}", token=caseworker)
    assert api.call("GET", "/api/v1/audit", token=api.login("supervisor"))[0] == 403
    status, trail = api.call("GET", f"/api/v1/audit?entity={created['id']}", token=api.login("auditor"))
    assert status == 200
    assert [e["action"] for e in trail["items"]] == ["case.sensitive_read", "case.registered"]
    assert "substance" not in json.dumps(trail)
