"""Suppliers and trusted third parties end to end: a supplier paid against its invoice, a
third party paid only once a supervisor approved the beneficiary's authorisation, and payout
methods checked per route and per return country before anything is stored."""
import uuid

import pytest

PARTNER_WALLET = {"operator": "orange"}


@pytest.fixture
def own_programme(journey):
    """A programme of this test's own, so that its batches hold only this test's instalments."""
    created = journey.programme(f"PY{uuid.uuid4().hex[:6].upper()}", "Payees programme",
                                budget=1_000_000)
    journey.eventually(lambda: _budget_known(journey.rpc, created["id"]))
    return created["id"]


def _budget_known(services_rpc, programme_id: str) -> bool:
    try:
        return services_rpc.payments.get_budget(programme_id)["total"]["amount"] > 0
    except Exception:
        return False


@pytest.fixture
def registered_case(journey, own_programme):
    def register(given_names: str, return_country: str = "GN") -> str:
        return journey.register(own_programme, given_names, "Bah", country=return_country,
                                born="1991-04-02")
    return register


@pytest.fixture
def make_due(journey, own_programme):
    """Approve a EUR 1,500 plan for the case and record its arrival: instalment 1 (EUR 750) is due."""
    return lambda case_id: journey.make_due(own_programme, case_id)


@pytest.fixture
def pay_batch(journey, own_programme):
    """Prepare a batch of the programme's due instalments, have a second officer release it,
    and wait for it to complete; returns the prepared and the completed views."""
    def pay() -> tuple[dict, dict]:
        batch = journey.release_batch(own_programme)
        return batch, journey.completed_batch(batch["id"])
    return pay


def _put_method(api, case_id: str, route: str, details: dict):
    return api.call("PUT", f"/api/v1/cases/{case_id}/payout-method", {"route": route, "details": details},
                    token=api.login("caseworker"))


def _record(api, case_id: str, body: dict):
    return api.call("POST", f"/api/v1/cases/{case_id}/payees", body, token=api.login("caseworker"))


def test_a_supplier_is_paid_its_invoice_from_the_instalment_and_the_beneficiary_the_rest(
        api, partner, registered_case, make_due, pay_batch, journey):
    case_id = registered_case("Aissatou")
    status, _ = _put_method(api, case_id, "mobile_money", {"phone": "+224620001001", **PARTNER_WALLET,
                                                           "account_holder_name": "Aissatou Bah"})
    assert status == 200
    status, supplier = _record(api, case_id, {
        "kind": "supplier", "name": "Quincaillerie Diallo", "plan_line_id": "line-1",
        "document": {"kind": "invoice", "reference": "INV-2026-0042", "amount": journey.eur(30_000)},
        "route": "mobile_money", "details": {"phone": "+224620001002", **PARTNER_WALLET}})
    assert status == 201, supplier
    make_due(case_id)

    prepared, done = pay_batch()

    by_kind = {p["payee"]["kind"]: p for p in done["payouts"]}
    assert by_kind["supplier"]["amount"] == journey.eur(30_000)
    assert by_kind["beneficiary"]["amount"] == journey.eur(45_000)
    assert by_kind["supplier"]["payee"] == {"id": supplier["id"], "kind": "supplier", "plan_line_id": "line-1",
                                            "document_reference": "INV-2026-0042"}
    assert {p["route"] for p in done["payouts"]} == {"mobile_money"}
    assert done["progress"]["paid"] == 2
    counts = partner.control.transfers()["countsByExternalId"]
    assert {p["id"]: counts.get(p["id"]) for p in done["payouts"]} == {p["id"]: 1 for p in done["payouts"]}
    paid = journey.instalment(case_id)
    assert paid["status"] == "paid" and paid["paid"] == journey.eur(75_000)
    status, listed = api.call("GET", f"/api/v1/cases/{case_id}/payees", token=api.login("supervisor"))
    assert status == 200
    listed_supplier = next(p for p in listed["items"] if p["kind"] == "supplier")
    assert listed_supplier["document"]["committed"] == journey.eur(30_000)


def test_a_third_party_is_left_out_of_batches_until_a_supervisor_approves_its_authorisation(
        api, partner, registered_case, make_due, pay_batch, journey):
    case_id, other_case = registered_case("Mariama"), registered_case("Oumou")
    status, third = _record(api, case_id, {
        "kind": "third_party", "name": "Thierno Bah", "relationship": "sibling",
        "authorisation": {"signed_on": "2026-10-20", "document_reference": "AUTH-2026-17"},
        "route": "mobile_money", "details": {"phone": "+224620001003", **PARTNER_WALLET}})
    assert status == 201, third
    assert third["authorisation"]["status"] == "pending" and not third["payable"]
    status, _ = _put_method(api, case_id, "third_party", {"payee_id": third["id"]})
    assert status == 200
    status, _ = _put_method(api, other_case, "mobile_money", {"phone": "+224620001004", **PARTNER_WALLET})
    assert status == 200
    make_due(case_id), make_due(other_case)

    first, first_done = pay_batch()
    assert [p["case_id"] for p in first["payouts"]] == [other_case]
    assert [(s["case_id"], s["reason"]) for s in first_done["skipped"]] == [
        (case_id, "third_party_authorisation_not_approved")]
    assert journey.instalment(case_id)["status"] == "due"

    status, _ = api.call("POST", f"/api/v1/payees/{third['id']}/authorisation/approve",
                         token=api.login("caseworker"))
    assert status == 403
    status, approved = api.call("POST", f"/api/v1/payees/{third['id']}/authorisation/approve",
                                token=api.login("supervisor"))
    assert status == 200 and approved["authorisation"]["status"] == "approved", approved

    second, second_done = pay_batch()
    assert second_done["skipped"] == [] and second_done["progress"]["paid"] == 1
    payout = second_done["payouts"][0]
    assert (payout["case_id"], payout["payee"]["id"], payout["payee"]["kind"], payout["amount"]) == (
        case_id, third["id"], "third_party", journey.eur(75_000))
    assert partner.control.transfers()["countsByExternalId"].get(payout["id"]) == 1
    assert journey.instalment(case_id)["status"] == "paid"


def test_bad_details_are_400_naming_the_field_a_route_not_offered_is_422_and_nothing_is_stored(
        api, registered_case):
    case_id = registered_case("Kadiatou", return_country="ML")
    status, refused = _put_method(api, case_id, "mobile_money", {"phone": "0700 12", **PARTNER_WALLET})
    assert status == 400 and list(refused["error"]["fields"]) == ["details.phone"], refused
    status, refused = _put_method(api, case_id, "bank_account", {
        "iban": "DE89370400440532013000", "account_holder_name": "Kadiatou Bah"})
    assert status == 422 and refused["error"]["fields"] == {"route": ["bank_account is not offered in ML"]}
    status, refused = _record(api, case_id, {
        "kind": "supplier", "name": "Atelier Traoré", "plan_line_id": "line-2",
        "document": {"kind": "invoice", "reference": "F-9", "amount": {"amount": 0, "currency": "EUR"}},
        "route": "mobile_money", "details": {"phone": "+22370000001", **PARTNER_WALLET}})
    assert status == 400 and list(refused["error"]["fields"]) == ["document.amount"], refused
    status, refused = _record(api, case_id, {
        "kind": "third_party", "name": "Seydou Traoré", "relationship": "parent",
        "authorisation": {"signed_on": "2026-10-20", "document_reference": "AUTH-9"},
        "route": "mobile_money", "details": {"phone": "+22370000002", **PARTNER_WALLET}})
    assert status == 422 and refused["error"]["fields"] == {"route": ["third_party is not offered in ML"]}

    status, listed = api.call("GET", f"/api/v1/cases/{case_id}/payees", token=api.login("supervisor"))
    assert status == 200 and listed["items"] == []
