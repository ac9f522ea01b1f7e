"""Batches with maker-checker, paid through the sandbox partner, once each."""
import pytest

from reintegra.contracts.errors import Conflict, Forbidden


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
