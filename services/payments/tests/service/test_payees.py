"""Payees and payout methods through the running payments service: its configured routes per
country and the callers' roles, as the gateway passes them."""
import uuid

import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts.errors import Forbidden, RuleViolation

from payments.entrypoints.service import PaymentsService


@pytest.fixture
def configured(container_factory, payments_config):
    container = container_factory(PaymentsService, {
        **payments_config, "PAYOUT_COUNTRY_ROUTES": {"*": ["mobile_money", "third_party"], "ML": ["cash_pickup"]}})
    container.start()

    def call(name: str, *args, user: str, role: str):
        with entrypoint_hook(container, name, context_data={"actor_id": user, "actor_role": role}) as entrypoint:
            return entrypoint(*args)
    return call


@pytest.fixture
def registered(publish, funded_programme, eventually, configured):
    def register(country: str) -> str:
        case_id = str(uuid.uuid4())
        publish("intake", "case_registered", {
            "case_id": case_id, "programme_id": funded_programme, "status": "registered",
            "return_country": country, "vulnerability_level": "low", "intends_to_apply": True,
            "registered_at": "2026-11-01T10:00:00+00:00"})
        eventually(lambda: configured("get_beneficiary_case", case_id, user="caseworker-1", role="caseworker"))
        return case_id
    return register


def test_the_routes_offered_per_country_come_from_the_services_configuration(configured, registered):
    case_id = registered("ML")
    with pytest.raises(RuleViolation) as refused:
        configured("set_payout_method", case_id, {"route": "mobile_money", "details": {
            "phone": "+22370000001", "operator": "orange_money"}}, user="caseworker-1", role="caseworker")
    assert refused.value.fields == {"route": ["mobile_money is not offered in ML"]}


def test_a_third_party_is_approved_over_rpc_only_by_a_supervisor_who_did_not_record_it(configured, registered):
    case_id = registered("GM")
    third = configured("record_payee", case_id, {
        "kind": "third_party", "name": "Fatou Jallow", "relationship": "parent",
        "authorisation": {"signed_on": "2026-10-30", "document_reference": "AUTH-1"},
        "route": "mobile_money", "details": {"phone": "+2207000077", "operator": "afrimoney"}},
        user="supervisor-1", role="supervisor")
    with pytest.raises(Forbidden):
        configured("approve_payee_authorisation", third["id"], user="caseworker-1", role="caseworker")
    with pytest.raises(Forbidden):
        configured("approve_payee_authorisation", third["id"], user="supervisor-1", role="supervisor")
    approved = configured("approve_payee_authorisation", third["id"], user="supervisor-2", role="supervisor")
    assert approved["authorisation"]["approved_by"] == "supervisor-2"
    listed = configured("case_payees", case_id, user="auditor-1", role="auditor")["items"]
    assert [(p["kind"], p["authorisation"]["status"]) for p in listed] == [("third_party", "approved")]
