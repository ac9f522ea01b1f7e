"""Cash pickup end to end: a due instalment paid by a voucher the person collects at the
partner's agent with their ID; the voucher's expiry is the programme's setting; an expired,
uncollected voucher fails its payout, the instalment is due again, the next batch issues a new
voucher (new payout, new key) and the expired code can never be collected: paid once."""
import datetime
import uuid

import pytest

from sandbox_partner.control import ControlError

PASSPORT = "GN7654321"
EXPIRY_DAYS = 10


def eur(amount: int) -> dict:
    return {"amount": amount, "currency": "EUR"}


@pytest.fixture
def programme(api):
    status, created = api.call("POST", "/api/v1/programmes", {
        "code": f"CASH-{uuid.uuid4().hex[:6]}", "name": "Cash programme", "host_country": "PT",
        "currency": "EUR", "start_date": "2026-01-01", "voucher_expiry_days": EXPIRY_DAYS,
        "funding_sources": [{"code": "EU", "budget": eur(5_000_000)}]}, token=api.login("admin"))
    assert status == 201 and created["voucher_expiry_days"] == EXPIRY_DAYS, created
    return created["id"]


@pytest.fixture
def cash_case_due(api, programme, services_rpc, publish_system_event, eventually):
    """A case returning to Guinea, paid in cash, its first EUR 750 instalment due."""
    status, created = api.call("POST", "/api/v1/cases", {
        "programme_id": programme, "given_names": "Fatoumata", "family_names": "Diallo",
        "date_of_birth": "1992-04-20", "sex": "female", "nationality": "GN", "languages": ["fr"],
        "migratory_status": "irregular", "return_country": "GN", "referral_source": "self",
        "consent": {"given": True, "date": "2026-01-05", "scope": ["case_management"]},
        "intends_to_apply_for_reintegration": True}, token=api.login("caseworker"))
    assert status == 201, created
    case_id, plan_id = created["id"], str(uuid.uuid4())
    eventually(lambda: services_rpc.payments.get_beneficiary_case(case_id))
    status, method = api.call("PUT", f"/api/v1/cases/{case_id}/payout-method", {
        "route": "cash_pickup", "details": {"given_name": "Fatoumata", "family_name": "Diallo",
                                            "id_document_type": "passport",
                                            "id_document_number": PASSPORT}},
        token=api.login("caseworker"))
    assert status == 200, method
    services_rpc.payments.reserve_budget(f"plan:{plan_id}:v1:reserve", programme,
                                         f"plan:{plan_id}", eur(150_000), case_id)
    publish_system_event("plans", "plan_approved", {
        "case_id": case_id, "plan_id": plan_id, "programme_id": programme, "version": 1,
        "total": eur(150_000), "currency": "EUR", "reservation_id": f"plan:{plan_id}",
        "lines": [{"category": "business", "amount": eur(150_000)}]})
    publish_system_event("intake", "case_arrived", {
        "case_id": case_id, "programme_id": programme, "from_status": "departed",
        "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00", "arrival_date": "2026-11-02"})
    eventually(lambda: first_instalment(api, case_id)["status"] == "due")
    return case_id


def first_instalment(api, case_id: str, as_user: str = "caseworker") -> dict:
    status, answer = api.call("GET", f"/api/v1/cases/{case_id}/instalments", token=api.login(as_user))
    assert status == 200, answer
    return next((i for i in answer["instalments"] if i["number"] == 1), {})


def pay_in_a_batch(api, programme: str) -> str:
    """Prepared by one finance officer, released by another; returns the batch id."""
    status, batch = api.call("POST", "/api/v1/payout-batches", {"programme_id": programme},
                             token=api.login("finance_officer"))
    assert status == 201, batch
    status, released = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release",
                                token=api.login("finance-officer-2"))
    assert status == 202, released
    return batch["id"]


def issued_voucher(api, case_id: str, eventually) -> dict:
    """The newest payout once the partner issued its voucher (as the caseworker sees it)."""
    def issued():
        payouts = first_instalment(api, case_id)["payouts"]
        return payouts[-1] if payouts and payouts[-1].get("voucher") else None
    return eventually(issued, timeout=30)


def test_a_due_instalment_is_paid_in_cash_when_the_person_collects_the_voucher(
        api, programme, cash_case_due, partner, eventually):
    pay_in_a_batch(api, programme)
    payout = issued_voucher(api, cash_case_due, eventually)
    voucher = payout["voucher"]
    assert payout["status"] == "submitted" and not voucher["masked"] and voucher["collectable"]
    expires_at = datetime.datetime.fromisoformat(voucher["expires_at"].replace("Z", "+00:00"))
    expected = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=EXPIRY_DAYS)
    assert abs(expires_at - expected) < datetime.timedelta(minutes=5)  # the programme's setting
    seen_by_supervisor = first_instalment(api, cash_case_due, "supervisor")["payouts"][-1]["voucher"]
    assert seen_by_supervisor["masked"] and seen_by_supervisor["code"] != voucher["code"]
    assert seen_by_supervisor["code"].endswith(voucher["code"][-3:])

    collected = partner.control.collect_voucher(voucher["code"], PASSPORT)

    assert collected["status"] == "COLLECTED"
    paid = eventually(lambda: (i := first_instalment(api, cash_case_due))["status"] == "paid" and i,
                      timeout=30)
    assert paid["paid"] == eur(75_000) and [p["status"] for p in paid["payouts"]] == ["paid"]
    assert paid["payouts"][0]["voucher"]["masked"]  # collected: nobody needs the code any more


def test_an_expired_voucher_is_reissued_by_the_next_batch_and_the_instalment_is_paid_once(
        api, programme, cash_case_due, partner, eventually):
    pay_in_a_batch(api, programme)
    first = issued_voucher(api, cash_case_due, eventually)
    [entry] = [t for t in partner.control.transfers()["transfers"] if t["externalId"] == first["id"]]

    partner.control.expire_voucher(entry["referenceId"])

    due_again = eventually(lambda: (i := first_instalment(api, cash_case_due))["status"] == "due" and i,
                           timeout=30)
    assert [(p["status"], p["failure_reason"]) for p in due_again["payouts"]] == [
        ("failed", "voucher_expired")]
    with pytest.raises(ControlError) as refused:
        partner.control.collect_voucher(first["voucher"]["code"], PASSPORT)
    assert refused.value.status == 409 and refused.value.body["code"] == "VOUCHER_EXPIRED"

    pay_in_a_batch(api, programme)
    second = issued_voucher(api, cash_case_due, eventually)
    assert second["id"] != first["id"] and second["voucher"]["code"] != first["voucher"]["code"]
    partner.control.collect_voucher(second["voucher"]["code"], PASSPORT)

    paid = eventually(lambda: (i := first_instalment(api, cash_case_due))["status"] == "paid" and i,
                      timeout=30)
    assert paid["paid"] == eur(75_000)
    assert [p["status"] for p in paid["payouts"]] == ["failed", "paid"]
    counts = partner.control.transfers()["countsByExternalId"]
    assert (counts[first["id"]], counts[second["id"]]) == (1, 1)
    with pytest.raises(ControlError):
        partner.control.collect_voucher(first["voucher"]["code"], PASSPORT)
