"""Intake commits a case and its announcement together, and refuses bad input whole."""
import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts.errors import Forbidden, InvalidInput
from intake.adapters.crypto import MissingSensitiveDataKey
from intake.service import IntakeService


def test_registering_a_case_records_exactly_one_case_registered_event_without_names(
        call, a_person, outbox_events):
    created = call("caseworker", "register_case", a_person())
    events = [e for e in outbox_events() if e.event_type == "case_registered"]
    assert len(events) == 1
    body = events[0].body
    assert body["data"] == {**body["data"], "case_id": created["id"], "status": "registered",
                            "return_country": "GN", "vulnerability_level": "none",
                            "intends_to_apply": True}
    assert body["actor"] == {"id": "caseworker-id", "role": "caseworker"}
    assert "Diallo" not in str(body) and "Amina" not in str(body)


def test_an_invalid_registration_names_each_field_and_stores_nothing(call, a_person, rows):
    with pytest.raises(InvalidInput) as refused:
        call("caseworker", "register_case", a_person(
            given_names="", date_of_birth="2990-01-01", nationality="XX",
            consent={"given": False, "date": "2026-01-05", "scope": ["case_management"]},
            contact={"phone": "912 345 678"}))
    assert set(refused.value.fields) == {"given_names", "date_of_birth", "nationality",
                                         "consent.given", "contact.phone"}
    assert rows("SELECT count(*) FROM cases")[0][0] == 0
    assert rows("SELECT count(*) FROM outbox WHERE event_type = 'case_registered'")[0][0] == 0


def test_an_unknown_programme_is_a_field_error(call, a_person):
    with pytest.raises(InvalidInput) as refused:
        call("caseworker", "register_case", a_person(programme_id="no-such-programme"))
    assert refused.value.fields == {"programme_id": ["no such programme"]}


def test_an_ineligible_person_is_stored_as_rejected_with_the_reason(call, a_person, rows):
    created = call("caseworker", "register_case", a_person(nationality="FR"))
    assert created["status"] == "rejected"
    assert created["eligibility_reasons"] == [
        "nationality FR is excluded by the programme (EU member state)"]
    case = call("supervisor", "get_case", created["id"])
    assert case["status"] == "rejected" and case["allowed_transitions"] == []
    assert case["history"][0]["reason"] == created["eligibility_reasons"][0]


def test_the_event_carries_the_vulnerability_level_never_the_factors(call, a_person, outbox_events):
    call("caseworker", "register_case", a_person(
        vulnerability_factors=["victim_of_trafficking", "homeless"]))
    body = [e.body for e in outbox_events() if e.event_type == "case_registered"][0]
    assert body["data"]["vulnerability_level"] == "high"
    assert "trafficking" not in str(body) and "homeless" not in str(body)


def test_sensitive_factors_are_stored_encrypted(call, a_person, rows):
    created = call("caseworker", "register_case", a_person(
        vulnerability_factors=["physical_or_mental_illness", "substance_dependence"]))
    stored = rows(f"SELECT * FROM cases WHERE id = '{created['id']}'")[0]._mapping
    dump = " ".join(str(v) for v in stored.values())
    assert stored["protected"] and stored["sensitive_data"].startswith("v1:")
    assert "illness" not in dump and "substance" not in dump
    audit = " ".join(str(r) for r in rows("SELECT * FROM audit_log"))
    assert "illness" not in audit and "sensitive_vulnerability_factors" in audit


def test_a_repeated_registration_request_registers_once(call, a_person, rows):
    first = call("caseworker", "register_case", a_person(), request_id="req-1")
    again = call("caseworker", "register_case", a_person(), request_id="req-1")
    assert again == first
    assert rows("SELECT count(*) FROM cases")[0][0] == 1


def test_intake_refuses_to_start_without_its_sensitive_data_key(container_factory, intake_config):
    container = container_factory(IntakeService, {**intake_config, "INTAKE_SENSITIVE_DATA_KEY": None})
    with pytest.raises(MissingSensitiveDataKey, match="INTAKE_SENSITIVE_DATA_KEY is not set"):
        container.start()


def test_a_key_of_the_wrong_length_is_refused_too(container_factory, intake_config):
    container = container_factory(IntakeService, {**intake_config, "INTAKE_SENSITIVE_DATA_KEY": "c2hvcnQ="})
    with pytest.raises(MissingSensitiveDataKey, match="exactly 32 bytes"):
        container.start()


def test_registering_needs_a_caseworker(intake):
    with entrypoint_hook(intake, "register_case", context_data={
            "actor_id": "fin-1", "actor_role": "finance_officer"}) as register:
        with pytest.raises(Forbidden):
            register({})
