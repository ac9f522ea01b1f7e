"""Payout methods, payees and who each instalment pays, through the service layer on a
migrated SQLite database (no broker)."""
import datetime
import uuid

import pytest
import sqlalchemy as sa

from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.adapters.payout_repository import PayoutRepository
from payments.adapters.tables import payout_methods, payouts
from payments.domain.route_policy import RoutePolicy
from payments.service_layer import batches, budget, handlers, instalments, payees, payout_method
from payments.service_layer.payout_method import PayoutRules

RULES = PayoutRules(RoutePolicy({"*": ["bank_account", "mobile_money", "cash_pickup", "supplier", "third_party"],
                                 "ML": ["mobile_money", "cash_pickup", "supplier"]}),
                    {"GM": ("afrimoney", "qcell")})
WALLET = {"route": "mobile_money", "details": {"phone": "+2207000001", "operator": "afrimoney",
                                               "account_holder_name": "Awa Jallow"}}
SUPERVISOR, OTHER_SUPERVISOR = {"id": "supervisor-1", "role": "supervisor"}, {"id": "supervisor-2", "role": "supervisor"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('payees') / 'payments.sqlite'}"
    upgrade("payments", url)
    store = Store(url, source="payments")
    yield store
    store.dispose()


@pytest.fixture
def programme(store):
    programme_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        handlers.record_programme(uow, {
            "programme_id": programme_id, "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"}, "instalment_split": [50, 50],
            "justification_threshold_percent": 80,
            "funding_sources": [{"code": "EU", "budget": {"amount": 5_000_000, "currency": "EUR"}}]})
        uow.commit()
    return programme_id


@pytest.fixture
def case(store, programme):
    def register(country: str = "GM") -> str:
        case_id = str(uuid.uuid4())
        with store.unit_of_work() as uow:
            handlers.record_case(uow, {"case_id": case_id, "programme_id": programme,
                                       "status": "registered", "return_country": country})
            uow.commit()
        return case_id
    return register


def in_uow(store, fn, *args, **kwargs):
    with store.unit_of_work() as uow:
        answer = fn(uow, *args, **kwargs)
        uow.commit()
    return answer


def set_method(store, case_id, body):
    return in_uow(store, payout_method.set_payout_method, case_id, body, "caseworker-1", RULES)


def record(store, case_id, body, actor="caseworker-1"):
    return in_uow(store, payees.record_payee, case_id, body, actor, RULES, datetime.date(2026, 11, 1))


def supplier_body(amount=30_000, currency="EUR"):
    return {"kind": "supplier", "name": "Banjul Tools Ltd", "plan_line_id": "line-4",
            "document": {"kind": "invoice", "reference": "INV-0042", "amount": {"amount": amount, "currency": currency}},
            "route": "mobile_money", "details": {"phone": "+2207000099", "operator": "qcell"}}


def third_party_body():
    return {"kind": "third_party", "name": "Fatou Jallow", "relationship": "sibling",
            "authorisation": {"signed_on": "2026-10-30", "document_reference": "AUTH-7"},
            "route": "mobile_money", "details": {"phone": "+2207000077", "operator": "afrimoney"}}


def stored_method(store, case_id):
    with store.unit_of_work() as uow:
        return uow.session.execute(sa.select(payout_methods).where(payout_methods.c.case_id == case_id)).first()


# Payout methods -----------------------------------------------------------------------------------

def test_a_valid_payout_method_is_stored_with_its_details(store, case):
    case_id = case()
    assert set_method(store, case_id, WALLET) == {"case_id": case_id, **WALLET}
    assert stored_method(store, case_id).details == WALLET["details"]


def test_bad_details_are_refused_naming_each_field_and_nothing_is_stored(store, case):
    case_id = case()
    with pytest.raises(InvalidInput) as refused:
        set_method(store, case_id, {"route": "mobile_money", "details": {"phone": "+2217000001", "operator": "wave"}})
    assert refused.value.fields == {"details.phone": ["not a GM number (+220)"],
                                    "details.operator": ["one of afrimoney, qcell in GM"]}
    assert stored_method(store, case_id) is None


def test_a_field_no_route_reads_is_refused_by_name_and_nothing_is_stored(store, case):
    case_id = case()
    with pytest.raises(InvalidInput) as refused:
        set_method(store, case_id, {**WALLET, "details": {**WALLET["details"], "pin": "1234"}})
    assert refused.value.fields == {"details.pin": ["unknown field"]}
    assert stored_method(store, case_id) is None


def test_a_route_not_offered_in_the_return_country_is_a_rule_violation_naming_both(store, case):
    case_id = case("ML")
    with pytest.raises(RuleViolation) as refused:
        set_method(store, case_id, {"route": "bank_account", "details": {
            "iban": "DE89370400440532013000", "account_holder_name": "Amadou Traoré"}})
    assert refused.value.fields == {"route": ["bank_account is not offered in ML"]}
    assert stored_method(store, case_id) is None


def test_a_case_payments_has_not_heard_of_is_not_found_once_the_details_are_valid(store):
    with pytest.raises(NotFound):
        set_method(store, "no-such-case", WALLET)


def test_a_third_party_payout_method_must_name_a_third_party_of_the_same_case(store, case):
    case_id, other_case = case(), case()
    stranger = record(store, other_case, third_party_body())
    with pytest.raises(InvalidInput) as refused:
        set_method(store, case_id, {"route": "third_party", "details": {"payee_id": stranger["id"]}})
    assert list(refused.value.fields) == ["details.payee_id"]
    own = record(store, case_id, third_party_body())
    assert set_method(store, case_id, {"route": "third_party", "details": {"payee_id": own["id"]}})["route"] == "third_party"


# Payees and authorisations ------------------------------------------------------------------------

def test_a_supplier_is_recorded_with_its_invoice_and_listed_after_the_beneficiary(store, case):
    case_id = case()
    set_method(store, case_id, WALLET)
    recorded = record(store, case_id, supplier_body())
    listed = in_uow(store, lambda uow: payees.case_payees(uow.session, case_id))["items"]
    assert [(p["kind"], p["id"]) for p in listed] == [("beneficiary", case_id), ("supplier", recorded["id"])]
    assert listed[1]["document"] == {"kind": "invoice", "reference": "INV-0042",
                                     "amount": {"amount": 30_000, "currency": "EUR"},
                                     "committed": {"amount": 0, "currency": "EUR"}}


def test_a_supplier_invoice_in_another_currency_than_the_programmes_is_refused(store, case):
    case_id = case()
    with pytest.raises(RuleViolation) as refused:
        record(store, case_id, supplier_body(currency="GMD"))
    assert list(refused.value.fields) == ["document.amount"]


def test_a_third_party_by_a_route_not_offered_in_the_country_is_refused_and_not_stored(store, case):
    case_id = case("ML")
    body = {**third_party_body(), "details": {"phone": "+22370000077", "operator": "orange_money"}}
    with pytest.raises(RuleViolation) as refused:
        record(store, case_id, body)
    assert refused.value.fields == {"route": ["third_party is not offered in ML"]}
    with store.unit_of_work() as uow:
        assert payees.case_payees(uow.session, case_id)["items"] == []


def test_a_payee_with_bad_details_is_refused_naming_each_field_and_nothing_is_stored(store, case):
    case_id = case()
    body = {**supplier_body(), "details": {"phone": "+2217000001", "operator": "wave"}, "vat_number": "x"}
    with pytest.raises(InvalidInput) as refused:
        record(store, case_id, body)
    assert refused.value.fields == {"details.phone": ["not a GM number (+220)"],
                                    "details.operator": ["one of afrimoney, qcell in GM"],
                                    "vat_number": ["unknown field"]}
    with store.unit_of_work() as uow:
        assert payees.case_payees(uow.session, case_id)["items"] == []


def test_only_another_supervisor_than_the_recorder_approves_a_third_party(store, case):
    third = record(store, case(), third_party_body(), actor="supervisor-1")
    with pytest.raises(Forbidden):
        in_uow(store, payees.approve_authorisation, third["id"], {"id": "caseworker-1", "role": "caseworker"})
    with pytest.raises(Forbidden):
        in_uow(store, payees.approve_authorisation, third["id"], SUPERVISOR)
    approved = in_uow(store, payees.approve_authorisation, third["id"], OTHER_SUPERVISOR)
    assert approved["authorisation"]["status"] == "approved" and approved["payable"]
    with pytest.raises(Conflict):
        in_uow(store, payees.approve_authorisation, third["id"], OTHER_SUPERVISOR)


def test_a_revoked_authorisation_keeps_who_and_why_and_cannot_be_approved(store, case):
    third = record(store, case(), third_party_body())
    with pytest.raises(InvalidInput):
        in_uow(store, payees.revoke_authorisation, third["id"], SUPERVISOR, {"reason": " "})
    revoked = in_uow(store, payees.revoke_authorisation, third["id"], SUPERVISOR,
                     {"reason": "the beneficiary withdrew it"})
    assert (revoked["authorisation"]["status"], revoked["authorisation"]["revoked_by"],
            revoked["authorisation"]["revocation_reason"]) == ("revoked", "supervisor-1", "the beneficiary withdrew it")
    with pytest.raises(Conflict):
        in_uow(store, payees.approve_authorisation, third["id"], OTHER_SUPERVISOR)


# Who each instalment pays ---------------------------------------------------------------------------

@pytest.fixture
def due(store, programme):
    """Make the case's first instalment (EUR 750 of a EUR 1,500 plan) due."""
    def make(case_id: str) -> None:
        plan_id = str(uuid.uuid4())
        with store.unit_of_work() as uow:
            budget.reserve_budget(uow, f"plan:{plan_id}:v1:reserve", programme, f"plan:{plan_id}",
                                  Money(150_000, "EUR"))
            instalments.plan_approved(uow, {
                "case_id": case_id, "plan_id": plan_id, "programme_id": programme, "version": 1,
                "total": {"amount": 150_000, "currency": "EUR"}, "reservation_id": f"plan:{plan_id}"})
            instalments.case_arrived(uow, {"case_id": case_id})
            uow.commit()
    return make


def prepare(store, programme):
    return in_uow(store, batches.prepare_batch, {"programme_id": programme}, "officer-a", None,
                  {"mobile_money", "cash_pickup"})


def test_a_batch_pays_the_supplier_invoice_first_and_the_rest_to_the_beneficiary(store, programme, case, due):
    case_id = case()
    set_method(store, case_id, WALLET)
    supplier = record(store, case_id, supplier_body(amount=30_000))
    due(case_id)
    batch = prepare(store, programme)
    assert sorted((p["payee"]["kind"], p["amount"]["amount"], p["payee"]["plan_line_id"],
                   p["payee"]["document_reference"]) for p in batch["payouts"]) == [
        ("beneficiary", 45_000, None, None), ("supplier", 30_000, "line-4", "INV-0042")]
    with store.unit_of_work() as uow:
        routes = uow.session.execute(sa.select(payouts.c.payee_id, payouts.c.route).where(
            payouts.c.case_id == case_id)).all()
        listed = payees.case_payees(uow.session, case_id)["items"]
    assert sorted(routes) == sorted([(case_id, "mobile_money"), (supplier["id"], "mobile_money")])
    assert listed[1]["document"]["committed"] == {"amount": 30_000, "currency": "EUR"}


def test_the_runner_pays_each_payout_to_its_own_payee(store, programme, case, due):
    case_id = case()
    set_method(store, case_id, WALLET)
    record(store, case_id, supplier_body())
    due(case_id)
    prepare(store, programme)
    with store.unit_of_work() as uow:
        stored = PayoutRepository(uow.session).where(payouts.c.case_id == case_id, limit=10)
        found = payees.payees_for(uow.session, stored)
    assert sorted((found[p.id].name, found[p.id].details["phone"]) for p in stored) == [
        ("Awa Jallow", "+2207000001"), ("Banjul Tools Ltd", "+2207000099")]


def test_an_unapproved_third_party_leaves_the_instalment_out_until_a_supervisor_approves(store, programme, case, due):
    case_id, paid_case = case(), case()
    third = record(store, case_id, third_party_body())
    set_method(store, case_id, {"route": "third_party", "details": {"payee_id": third["id"]}})
    set_method(store, paid_case, WALLET)
    due(case_id), due(paid_case)

    first = prepare(store, programme)
    assert [p["case_id"] for p in first["payouts"]] == [paid_case]
    assert [(s["case_id"], s["reason"]) for s in first["skipped"]] == [(case_id, "third_party_authorisation_not_approved")]

    in_uow(store, payees.approve_authorisation, third["id"], SUPERVISOR)
    second = prepare(store, programme)
    assert [(p["payee"]["id"], p["payee"]["kind"], p["amount"]["amount"]) for p in second["payouts"]] == [
        (third["id"], "third_party", 75_000)]
    assert second["skipped"] == []


def test_a_revoked_third_party_is_left_out_with_the_revocation_as_reason(store, programme, case, due):
    case_id = case()
    third = record(store, case_id, third_party_body())
    set_method(store, case_id, {"route": "third_party", "details": {"payee_id": third["id"]}})
    in_uow(store, payees.revoke_authorisation, third["id"], SUPERVISOR, {"reason": "coercion suspected"})
    due(case_id)
    with pytest.raises(RuleViolation) as refused:
        prepare(store, programme)
    assert [s["reason"] for s in refused.value.details["skipped"]] == ["third_party_authorisation_revoked"]
