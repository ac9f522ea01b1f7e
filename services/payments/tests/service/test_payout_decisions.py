"""Finance decisions on failed payouts, the budget report by country and route, and the
progress of running batches — on a real container, paying through the sandbox partner."""
import uuid

import pytest
from prometheus_client import REGISTRY

from reintegra.contracts.errors import Conflict, InvalidInput, NotFound, RuleViolation

CASH_PICKUP = {"route": "cash_pickup", "details": {
    "given_name": "Awa", "family_name": "Jallow", "id_document_type": "passport",
    "id_document_number": "GM1234567"}}


@pytest.fixture
def failed_payouts(call, publish, funded_programme, fresh_partner, eventually, money):
    """`count` cases returning to `country`, whose instalment 1 (EUR 750 of an EUR 1,500
    plan) was paid by mobile money in one released batch and failed at the partner.
    Returns the failed payouts."""
    def make(count=1, country="GM"):
        for number in range(count):
            _due_case(call, publish, funded_programme, eventually, money, country,
                      f"+22070000{number:02d}")
        fresh_partner.control.fail_next_transfers(count, "PAYEE_NOT_FOUND")
        batch = _run_batch(call, funded_programme, eventually)
        assert batch["progress"]["failed"] == count
        return [call("get_payout", p["id"]) for p in batch["payouts"]]
    return make


@pytest.fixture
def failed_payout(failed_payouts):
    return lambda country="GM": failed_payouts(1, country)[0]


def _due_case(call, publish, funded_programme, eventually, money, country, phone):
    """A registered case with a wallet, an approved plan reserved with its case id (so the
    ledger knows its country) and an arrival: its instalment 1 is due."""
    case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
    publish("intake", "case_registered", {
        "case_id": case_id, "programme_id": funded_programme, "status": "registered",
        "return_country": country, "vulnerability_level": "low", "intends_to_apply": True,
        "registered_at": "2026-11-01T10:00:00+00:00"})
    eventually(lambda: call("get_beneficiary_case", case_id))
    call("set_payout_method", case_id, {"route": "mobile_money", "details": {
        "phone": phone, "operator": "afrimoney"}}, as_user="caseworker-1")
    call("reserve_budget", f"plan:{plan_id}:v1:reserve", funded_programme,
         f"plan:{plan_id}", money(150_000), case_id)
    publish("plans", "plan_approved", {
        "case_id": case_id, "plan_id": plan_id, "programme_id": funded_programme,
        "version": 1, "total": money(150_000), "currency": "EUR",
        "reservation_id": f"plan:{plan_id}",
        "lines": [{"category": "business", "amount": money(150_000)}]})
    publish("intake", "case_arrived", {
        "case_id": case_id, "programme_id": funded_programme, "from_status": "departed",
        "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00",
        "arrival_date": "2026-11-02"})
    eventually(lambda: _instalment(call, case_id)["status"] == "due")


def _instalment(call, case_id, number=1):
    return next(i for i in call("case_instalments", case_id)["instalments"]
                if i["number"] == number)


def _run_batch(call, programme_id, eventually):
    """Prepare (officer-a), release (officer-b) and wait until the batch is stored completed."""
    batch = call("prepare_payout_batch", {"programme_id": programme_id}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    return eventually(lambda: (lambda b: b if b["completed_at"] else None)(
        call("get_payout_batch", batch["id"])), timeout=30)


def test_the_worklist_shows_failed_payouts_newest_first_page_by_page(
        call, failed_payouts, funded_programme):
    failed = failed_payouts(3)
    newest_first = sorted(failed, key=lambda p: (p["updated_at"], p["id"]), reverse=True)
    seen, cursor = [], None
    for _ in range(3):
        page = call("list_payouts", "failed", funded_programme, 1, cursor)
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [p["id"] for p in newest_first] and cursor is None
    with pytest.raises(InvalidInput):
        call("list_payouts", "failed", funded_programme, 1, "not-a-cursor")


def test_a_failed_payout_re_routed_to_cash_pickup_is_paid_once_by_the_next_batch(
        call, failed_payout, funded_programme, fresh_partner, eventually):
    failed = failed_payout()
    with pytest.raises(RuleViolation, match="payout method is mobile_money"):
        call("reroute_payout", failed["id"], {"route": "cash_pickup", "reason": "no wallet"},
             as_user="officer-a")
    call("set_payout_method", failed["case_id"], CASH_PICKUP, as_user="caseworker-1")

    decided = call("reroute_payout", failed["id"], {"route": "cash_pickup", "reason": "no wallet"},
                   "key-1", as_user="officer-a")
    replacement_id = decided["rerouted_to"]
    assert decided["status"] == "rerouted" and decided["decision"]["route"] == "cash_pickup"
    assert call("reroute_payout", failed["id"], {"route": "cash_pickup", "reason": "no wallet"},
                "key-1", as_user="officer-a") == decided
    with pytest.raises(Conflict):
        call("reroute_payout", failed["id"], {"route": "mobile_money", "reason": "x"},
             as_user="officer-a")
    with pytest.raises(Conflict, match="already rerouted"):
        call("return_payout", failed["id"], {"reason": "x"}, as_user="officer-a")
    assert _instalment(call, failed["case_id"])["status"] == "paying"
    assert failed["id"] not in {p["id"] for p in call("list_payouts", "failed",
                                                      funded_programme)["items"]}

    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    assert [p["id"] for p in batch["payouts"]] == [replacement_id]
    call("release_payout_batch", batch["id"], as_user="officer-b")
    voucher = eventually(lambda: (call("get_payout", replacement_id, as_user="officer-a")
                                  ["voucher"] or {}).get("code"), timeout=30)
    fresh_partner.control.collect_voucher(voucher, "GM1234567")
    eventually(lambda: call("get_payout", replacement_id)["status"] == "paid", timeout=30)

    assert fresh_partner.control.transfers()["countsByExternalId"].get(replacement_id) == 1
    assert _instalment(call, failed["case_id"])["status"] == "paid"
    routes = {r["route"]: r for r in call("get_budget_report", funded_programme)["by_route"]}
    assert routes["cash_pickup"]["paid"]["amount"] == 75_000
    assert routes.get("mobile_money", {"paid": {"amount": 0}})["paid"]["amount"] == 0


def test_finance_decisions_on_failed_payouts_are_counted_in_the_payout_metrics(
        call, failed_payouts, funded_programme):
    def counted(route: str, status: str) -> float:
        return REGISTRY.get_sample_value("reintegra_payouts_total",
                                         {"route": route, "status": status}) or 0

    rerouted, returned = failed_payouts(2)
    call("set_payout_method", rerouted["case_id"], CASH_PICKUP, as_user="caseworker-1")
    before = {key: counted(*key) for key in (("mobile_money", "rerouted"),
                                             ("mobile_money", "returned"),
                                             ("cash_pickup", "prepared"))}

    call("reroute_payout", rerouted["id"], {"route": "cash_pickup", "reason": "no wallet"},
         as_user="officer-a")
    call("return_payout", returned["id"], {"reason": "try again"}, as_user="officer-a")
    call("return_payout", returned["id"], {"reason": "try again"}, as_user="officer-a")

    assert {key: counted(*key) - was for key, was in before.items()} == {
        ("mobile_money", "rerouted"): 1, ("mobile_money", "returned"): 1,
        ("cash_pickup", "prepared"): 1}


def test_a_failed_payout_returned_with_release_gives_its_money_back_to_available(
        call, failed_payout, funded_programme):
    failed = failed_payout()
    before = call("get_budget_report", funded_programme)
    body = {"reason": "the person cannot be reached", "release_budget": True}

    decided = call("return_payout", failed["id"], body, "key-2", as_user="officer-a")
    assert decided["status"] == "returned"
    assert decided["decision"]["released"] == {"amount": 75_000, "currency": "EUR"}
    assert call("return_payout", failed["id"], body, as_user="officer-a") == decided
    with pytest.raises(Conflict):
        call("return_payout", failed["id"], {**body, "release_budget": False}, "key-2",
             as_user="officer-a")

    after = call("get_budget_report", funded_programme)
    assert after["available"]["amount"] == before["available"]["amount"] + 75_000
    assert after["reserved"]["amount"] == before["reserved"]["amount"] - 75_000
    gm = next(c for c in after["by_country"] if c["country"] == "GM")
    assert gm["reserved"]["amount"] == 75_000  # instalment 2 is still reserved
    assert _instalment(call, failed["case_id"])["status"] == "cancelled"


def test_a_failed_payout_returned_without_release_is_paid_again_by_the_next_batch(
        call, failed_payout, funded_programme, eventually):
    failed = failed_payout()
    call("return_payout", failed["id"], {"reason": "try the wallet again"}, as_user="officer-a")
    assert _instalment(call, failed["case_id"])["status"] == "due"
    batch = _run_batch(call, funded_programme, eventually)
    assert batch["progress"]["paid"] == 1
    assert _instalment(call, failed["case_id"])["status"] == "paid"


def test_a_failed_payout_already_re_paid_by_a_later_batch_refuses_a_decision(
        call, failed_payout, funded_programme, eventually):
    failed = failed_payout()
    _run_batch(call, funded_programme, eventually)  # pays the instalment again, by wallet
    call("set_payout_method", failed["case_id"], CASH_PICKUP, as_user="caseworker-1")
    with pytest.raises(Conflict, match="already re-paid") as refused:
        call("reroute_payout", failed["id"], {"route": "cash_pickup", "reason": "x"},
             as_user="officer-a")
    assert refused.value.details["payout"]["status"] == "failed"
    with pytest.raises(Conflict, match="already re-paid"):
        call("return_payout", failed["id"], {"reason": "x", "release_budget": True},
             as_user="officer-a")
    assert failed["id"] not in {p["id"] for p in call("list_payouts", "failed",
                                                      funded_programme)["items"]}


def test_an_unknown_payout_is_not_found_and_a_decision_needs_a_reason(call, failed_payout):
    with pytest.raises(NotFound):
        call("get_payout", str(uuid.uuid4()))
    with pytest.raises(NotFound):
        call("return_payout", str(uuid.uuid4()), {"reason": "x"}, as_user="officer-a")
    failed = failed_payout()
    with pytest.raises(InvalidInput):
        call("return_payout", failed["id"], {"reason": "  "}, as_user="officer-a")
    with pytest.raises(RuleViolation, match="not configured"):
        call("reroute_payout", failed["id"], {"route": "prepaid_card", "reason": "x"},
             as_user="officer-a")


def test_the_budget_report_groups_reserved_paid_money_by_country_and_route(
        call, failed_payout, funded_programme):
    failed_payout("GM")
    call("reserve_budget", "plan:sn:v1:reserve", funded_programme, "plan:sn",
         {"amount": 40_000, "currency": "EUR"})
    report = call("get_budget_report", funded_programme)
    countries = {c["country"]: c for c in report["by_country"]}
    assert countries["GM"]["reserved"]["amount"] == 150_000
    assert countries[None]["reserved"]["amount"] == 40_000  # no case given: country unknown
    routes = {r["route"]: r for r in report["by_route"]}
    assert routes["not_yet_routed"]["reserved"] == report["reserved"]
    assert sum(c["reserved"]["amount"] for c in report["by_country"]) == report["reserved"]["amount"]


def test_the_batch_gauge_follows_a_running_batch_and_the_batch_is_stored_completed(
        call, publish, funded_programme, eventually, money):
    _due_case(call, publish, funded_programme, eventually, money, "GM", "+2207000050")
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")

    def gauge(state):
        return REGISTRY.get_sample_value("reintegra_payout_batch_payouts",
                                         {"batch_id": batch["id"], "state": state})
    # Nobody asks for the batch meanwhile: the timer alone keeps the gauge current.
    eventually(lambda: gauge("paid") == 1, timeout=30)
    assert (gauge("pending"), gauge("submitted"), gauge("failed")) == (0, 0, 0)
    done = call("get_payout_batch", batch["id"])
    assert done["status"] == "completed" and done["completed_at"] is not None
