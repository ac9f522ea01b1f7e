"""Finance decides on failed payouts end to end: the sandbox partner fails two payouts of a
batch; one is re-routed to cash pickup and paid once by the next batch, the other is
returned and its money released back to available — and the budget report shows it all by
country and by route."""
import uuid

import pytest

COUNTRY = "SN"  # no other end-to-end test returns anyone there: its figures are ours alone


@pytest.fixture
def due_case(journey, programme_id):
    """A case returning to Senegal with a wallet, an approved EUR 1,500 plan (reserved as
    plans reserves it, with its case id) and an arrival: instalment 1 (EUR 750) is due."""
    def make(given_names: str, phone: str) -> str:
        case_id = journey.register(programme_id, given_names, "Diop", country=COUNTRY,
                                   born="1992-05-04")
        journey.set_method(case_id, "mobile_money", {"phone": phone, "operator": "orange"})
        journey.make_due(programme_id, case_id)
        return case_id
    return make


def run_batch(journey, programme_id) -> dict:
    """One officer prepares, another releases; returns the batch once stored completed."""
    return completed(journey, journey.release_batch(programme_id)["id"])


def completed(journey, batch_id: str) -> dict:
    def stored_completed():
        status, view = journey.api.call("GET", f"/api/v1/payout-batches/{batch_id}",
                                        token=journey.api.login("finance_officer"))
        return view if view.get("completed_at") else None
    return journey.eventually(stored_completed, timeout=30)


def budget(api, programme_id) -> dict:
    status, report = api.call("GET", f"/api/v1/programmes/{programme_id}/budget",
                              token=api.login("finance_officer"))
    assert status == 200, report
    return report


def test_failed_payouts_are_re_routed_or_returned_by_finance_and_the_budget_shows_it(
        api, programme_id, partner, due_case, journey):
    rerouted_case = due_case("Awa", "+221771234501")
    returned_case = due_case("Fatou", "+221771234502")
    finance = api.login("finance_officer")
    before = budget(api, programme_id)

    partner.control.fail_next_transfers(2, "PAYEE_NOT_FOUND")
    first = run_batch(journey, programme_id)
    failed = {p["case_id"]: p["id"] for p in first["payouts"] if p["status"] == "failed"}
    assert set(failed) >= {rerouted_case, returned_case}

    status, worklist = api.call("GET", f"/api/v1/payouts?status=failed&programme={programme_id}",
                                token=finance)
    assert status == 200 and {failed[rerouted_case], failed[returned_case]} <= {
        p["id"] for p in worklist["items"]}
    status, _ = api.call("GET", "/api/v1/payouts?status=failed", token=api.login("caseworker"))
    assert status == 403

    # Re-routed to cash pickup, once the caseworker has recorded the pickup details.
    reroute = {"route": "cash_pickup", "reason": "the wallet is closed"}
    status, refused = api.call("POST", f"/api/v1/payouts/{failed[rerouted_case]}/reroute",
                               reroute, token=finance)
    assert status == 422, refused
    journey.set_method(rerouted_case, "cash_pickup", {
        "given_name": "Awa", "family_name": "Diop", "id_document_type": "passport",
        "id_document_number": "SN7654321"})
    key = {"Idempotency-Key": str(uuid.uuid4())}
    status, decided = api.call("POST", f"/api/v1/payouts/{failed[rerouted_case]}/reroute",
                               reroute, token=finance, headers=key)
    assert status == 200 and decided["status"] == "rerouted", decided
    status, again = api.call("POST", f"/api/v1/payouts/{failed[rerouted_case]}/reroute",
                             reroute, token=finance, headers=key)
    assert status == 200 and again["rerouted_to"] == decided["rerouted_to"]
    replacement = decided["rerouted_to"]

    # Returned, its money released back to the programme.
    status, returned = api.call("POST", f"/api/v1/payouts/{failed[returned_case]}/return",
                                {"reason": "she moved abroad", "release_budget": True},
                                token=finance, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 200 and returned["status"] == "returned", returned
    assert returned["decision"]["released"] == journey.eur(75_000)
    status, conflict = api.call("POST", f"/api/v1/payouts/{failed[returned_case]}/reroute",
                                reroute, token=finance)
    assert status == 409 and conflict["error"]["payout"]["status"] == "returned", conflict
    assert journey.instalment(returned_case)["status"] == "cancelled"

    # The next batch takes the replacement in; the voucher is collected; paid once.
    second = run_batch_collecting(journey, programme_id, partner, replacement)
    assert replacement in {p["id"] for p in second["payouts"]}
    assert partner.control.transfers()["countsByExternalId"].get(replacement) == 1
    assert journey.instalment(rerouted_case)["status"] == "paid"
    status, paid = api.call("GET", f"/api/v1/payouts/{replacement}", token=finance)
    assert status == 200 and (paid["status"], paid["route"]) == ("paid", "cash_pickup")
    status, late = api.call("POST", f"/api/v1/payouts/{replacement}/return", {"reason": "x"},
                            token=finance)
    assert status == 409 and late["error"]["payout"]["status"] == "paid"
    status, missing = api.call("GET", f"/api/v1/payouts/{uuid.uuid4()}", token=finance)
    assert status == 404, missing

    after = budget(api, programme_id)
    assert after["available"]["amount"] == before["available"]["amount"] + 75_000
    senegal = next(c for c in after["by_country"] if c["country"] == COUNTRY)
    assert (senegal["paid"], senegal["reserved"], senegal["returned"]) == (
        journey.eur(75_000), journey.eur(150_000), journey.eur(0))  # the two instalments 2 are still reserved
    routes = {r["route"]: r for r in after["by_route"]}
    assert routes["cash_pickup"]["paid"]["amount"] >= 75_000
    assert routes["not_yet_routed"]["reserved"] == after["reserved"]


def run_batch_collecting(journey, programme_id, partner, payout_id) -> dict:
    """run_batch for a batch with a cash-pickup payout: its voucher is collected at the
    partner's agent once issued, so that the batch can complete."""
    batch = journey.release_batch(programme_id)

    def voucher_code():
        status, payout = journey.api.call("GET", f"/api/v1/payouts/{payout_id}",
                                          token=journey.api.login("finance_officer"))
        return (payout.get("voucher") or {}).get("code")
    partner.control.collect_voucher(journey.eventually(voucher_code, timeout=30), "SN7654321")
    return completed(journey, batch["id"])
