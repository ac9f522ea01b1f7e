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


@pytest.fixture
def programme(journey):
    created = journey.programme(f"CASH-{uuid.uuid4().hex[:6]}", "Cash programme",
                                voucher_expiry_days=EXPIRY_DAYS)
    assert created["voucher_expiry_days"] == EXPIRY_DAYS, created
    return created["id"]


@pytest.fixture
def cash_case_due(journey, programme):
    """A case returning to Guinea, paid in cash, its first EUR 750 instalment due."""
    case_id = journey.register(programme, "Fatoumata", "Diallo", born="1992-04-20")
    journey.set_method(case_id, "cash_pickup", {"given_name": "Fatoumata", "family_name": "Diallo",
                                                "id_document_type": "passport",
                                                "id_document_number": PASSPORT})
    journey.make_due(programme, case_id)
    return case_id


def caseworker_view(journey, case_id: str) -> dict:
    """Instalment 1 as the caseworker, who hands the voucher code over, sees it."""
    return journey.instalment(case_id, as_user="caseworker")


def issued_voucher(journey, case_id: str) -> dict:
    """The newest payout once the partner issued its voucher (as the caseworker sees it)."""
    def issued():
        payouts = caseworker_view(journey, case_id)["payouts"]
        return payouts[-1] if payouts and payouts[-1].get("voucher") else None
    return journey.eventually(issued, timeout=30)


def test_a_due_instalment_is_paid_in_cash_when_the_person_collects_the_voucher(
        programme, cash_case_due, partner, journey):
    journey.release_batch(programme)
    payout = issued_voucher(journey, cash_case_due)
    voucher = payout["voucher"]
    assert payout["status"] == "submitted" and not voucher["masked"] and voucher["collectable"]
    expires_at = datetime.datetime.fromisoformat(voucher["expires_at"].replace("Z", "+00:00"))
    expected = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=EXPIRY_DAYS)
    assert abs(expires_at - expected) < datetime.timedelta(minutes=5)  # the programme's setting
    seen_by_supervisor = journey.instalment(cash_case_due)["payouts"][-1]["voucher"]
    assert seen_by_supervisor["masked"] and seen_by_supervisor["code"] != voucher["code"]
    assert seen_by_supervisor["code"].endswith(voucher["code"][-3:])

    collected = partner.control.collect_voucher(voucher["code"], PASSPORT)

    assert collected["status"] == "COLLECTED"
    paid = journey.instalment_when(cash_case_due, "paid", as_user="caseworker", timeout=30)
    assert paid["paid"] == journey.eur(75_000) and [p["status"] for p in paid["payouts"]] == ["paid"]
    assert paid["payouts"][0]["voucher"]["masked"]  # collected: nobody needs the code any more


def test_an_expired_voucher_is_reissued_by_the_next_batch_and_the_instalment_is_paid_once(
        programme, cash_case_due, partner, journey):
    journey.release_batch(programme)
    first = issued_voucher(journey, cash_case_due)
    [entry] = [t for t in partner.control.transfers()["transfers"] if t["externalId"] == first["id"]]

    partner.control.expire_voucher(entry["referenceId"])

    due_again = journey.instalment_when(cash_case_due, "due", as_user="caseworker", timeout=30)
    assert [(p["status"], p["failure_reason"]) for p in due_again["payouts"]] == [
        ("failed", "voucher_expired")]
    with pytest.raises(ControlError) as refused:
        partner.control.collect_voucher(first["voucher"]["code"], PASSPORT)
    assert refused.value.status == 409 and refused.value.body["code"] == "VOUCHER_EXPIRED"

    journey.release_batch(programme)
    second = issued_voucher(journey, cash_case_due)
    assert second["id"] != first["id"] and second["voucher"]["code"] != first["voucher"]["code"]
    partner.control.collect_voucher(second["voucher"]["code"], PASSPORT)

    paid = journey.instalment_when(cash_case_due, "paid", as_user="caseworker", timeout=30)
    assert paid["paid"] == journey.eur(75_000)
    assert [p["status"] for p in paid["payouts"]] == ["failed", "paid"]
    counts = partner.control.transfers()["countsByExternalId"]
    assert (counts[first["id"]], counts[second["id"]]) == (1, 1)
    with pytest.raises(ControlError):
        partner.control.collect_voucher(first["voucher"]["code"], PASSPORT)
