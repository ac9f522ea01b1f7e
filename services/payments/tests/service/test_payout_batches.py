"""Batches with maker-checker, paid through the sandbox partner, once each."""
import pytest
from prometheus_client import REGISTRY

from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput


def test_a_due_instalment_is_paid_once_after_another_officer_releases_its_batch(
        call, due_instalment, funded_programme, fresh_partner, eventually):
    case_id, _ = due_instalment()
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    assert batch["status"] == "prepared" and batch["progress"]["total"] == 1

    with pytest.raises(Forbidden):
        call("release_payout_batch", batch["id"], as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    with pytest.raises(Conflict):
        call("release_payout_batch", batch["id"], as_user="officer-b")

    done = eventually(lambda: (lambda b: b if b["status"] == "completed" else None)(
        call("get_payout_batch", batch["id"])))
    assert done["progress"]["paid"] == 1
    payout = done["payouts"][0]
    assert payout["amount"] == {"amount": 75_000, "currency": "EUR"} and payout["status"] == "paid"
    assert fresh_partner.control.transfers()["countsByExternalId"] == {payout["id"]: 1}
    instalments = call("case_instalments", case_id)["instalments"]
    assert [(i["number"], i["status"]) for i in instalments] == [(1, "paid"), (2, "scheduled")]
    assert call("get_budget", funded_programme)["paid"]["amount"] == 75_000


def test_a_paid_batch_is_counted_in_the_payout_metrics_by_route_status_and_amount(
        call, due_instalment, funded_programme, fresh_partner, eventually):
    def sample(name: str, **labels) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0

    before = {status: sample("reintegra_payouts_total", route="mobile_money", status=status)
              for status in ("released", "submitted", "paid")}
    paid_before = sample("reintegra_payouts_paid_minor_units_total", route="mobile_money",
                         currency="EUR")
    for n in range(3):
        due_instalment(phone=f"+22070000{n:02d}")
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    eventually(lambda: call("get_payout_batch", batch["id"])["status"] == "completed" or None)

    for status in ("released", "submitted", "paid"):
        assert sample("reintegra_payouts_total", route="mobile_money", status=status) \
            - before[status] == 3
    assert sample("reintegra_payouts_paid_minor_units_total", route="mobile_money",
                  currency="EUR") - paid_before == 3 * 75_000


def test_batches_are_listed_newest_first_and_a_prepared_one_waits_for_a_second_officer(
        call, due_instalment, funded_programme, eventually):
    due_instalment()
    first = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    call("release_payout_batch", first["id"], as_user="officer-b")
    due_instalment(phone="+2207000002")
    second = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")

    waiting = call("list_payout_batches", status="prepared", programme=funded_programme)
    assert [b["id"] for b in waiting["items"]] == [second["id"]]
    assert waiting["items"][0] | {"prepared_at": None} == {
        "id": second["id"], "programme_id": funded_programme, "status": "prepared",
        "payout_count": 1, "skipped_count": 0, "prepared_by": "officer-a", "released_by": None,
        "prepared_at": None, "released_at": None, "completed_at": None}
    everything = call("list_payout_batches", programme=funded_programme)
    assert [b["id"] for b in everything["items"]] == [second["id"], first["id"]]
    assert everything["items"][1]["released_by"] == "officer-b"

    page = call("list_payout_batches", programme=funded_programme, limit="1")
    assert [b["id"] for b in page["items"]] == [second["id"]]
    rest = call("list_payout_batches", programme=funded_programme, cursor=page["next_cursor"])
    assert [b["id"] for b in rest["items"]] == [first["id"]] and rest["next_cursor"] is None


def test_a_batch_list_query_that_is_not_valid_is_refused_naming_each_field(call):
    with pytest.raises(InvalidInput) as refused:
        call("list_payout_batches", status="sent", limit="0", cursor="nonsense")
    assert set(refused.value.fields) == {"status", "limit", "cursor"}


@pytest.mark.parametrize("cancellation", ["plan_cancelled", "case_withdrawn"])
def test_a_payout_prepared_for_a_plan_cancelled_before_its_release_is_withdrawn_and_never_paid(
        cancellation, call, publish, due_instalment, funded_programme, fresh_partner,
        eventually):
    def withdrawals_counted() -> float:
        return REGISTRY.get_sample_value(
            "reintegra_payouts_total", {"route": "mobile_money", "status": "failed"}) or 0

    case_id, plan_id = due_instalment()
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    counted_before = withdrawals_counted()
    if cancellation == "plan_cancelled":
        publish("plans", "plan_cancelled", {"case_id": case_id, "plan_id": plan_id,
                                            "programme_id": funded_programme,
                                            "reservation_id": f"plan:{plan_id}"})
    else:
        publish("intake", "case_withdrawn", {
            "case_id": case_id, "programme_id": funded_programme, "from_status": "arrived",
            "to_status": "withdrawn", "at": "2026-11-03T10:00:00+00:00"})

    # Nothing has left: the whole reservation goes back to the programme.
    assert eventually(lambda: call("get_budget", funded_programme)["reserved"]["amount"] == 0)
    assert call("get_budget", funded_programme)["available"]["amount"] == 5_000_000
    instalments = call("case_instalments", case_id)["instalments"]
    assert [i["status"] for i in instalments] == ["cancelled", "cancelled"]
    [payout] = instalments[0]["payouts"]
    assert (payout["status"], payout["failure_reason"]) == ("failed", "withdrawn_before_release")
    assert withdrawals_counted() - counted_before == 1

    call("release_payout_batch", batch["id"], as_user="officer-b")
    done = eventually(lambda: (lambda b: b if b["status"] == "completed" else None)(
        call("get_payout_batch", batch["id"])))
    assert (done["progress"]["paid"], done["progress"]["failed"]) == (0, 1)
    assert fresh_partner.control.transfers()["countsByExternalId"] == {}
    assert call("get_budget", funded_programme)["paid"]["amount"] == 0
