"""What each event makes notifications say, and to whom."""
import pytest

from notifications.domain.notices import (CASEWORKER, FINANCE, QUEUED, SUPERVISOR,
                                          announcement_for)


def eur(amount):
    return {"amount": amount, "currency": "EUR"}


PAYOUT = {"payout_id": "po-1", "instalment_id": "in-1", "case_id": "case-1",
          "route": "mobile_money", "amount": eur(75_000)}


def test_a_due_instalment_tells_finance_its_number_case_and_amount():
    said = announcement_for("instalment_due", {
        "instalment_id": "in-1", "case_id": "case-1", "plan_id": "plan-1", "number": 2,
        "amount": eur(75_001)})
    [notice] = said.staff
    assert notice.audience == FINANCE and notice.case_id == "case-1"
    assert notice.text == "Instalment 2 of case case-1 is due for payment: 750.01 EUR."
    assert said.beneficiary == ()


def test_a_paid_payout_queues_a_message_to_the_beneficiary_naming_amount_and_route():
    said = announcement_for("payout_paid", PAYOUT)
    [message] = said.beneficiary
    assert message.case_id == "case-1" and message.status == QUEUED and message.channel is None
    assert message.text == "Your reintegration allowance of 750.00 EUR has been sent by mobile money."


def test_a_paid_payout_tells_the_caseworker():
    [notice] = announcement_for("payout_paid", PAYOUT).staff
    assert notice.audience == CASEWORKER and "po-1" in notice.text and "paid" in notice.text


def test_a_failed_payout_tells_finance_and_the_caseworker_the_reason():
    said = announcement_for("payout_failed", {**PAYOUT, "reason": "PAYEE_NOT_FOUND"})
    assert {n.audience for n in said.staff} == {FINANCE, CASEWORKER}
    assert all(n.text.endswith("failed: PAYEE_NOT_FOUND.") for n in said.staff)
    assert said.beneficiary == ()


@pytest.mark.parametrize("needs_approval, audience", [(True, SUPERVISOR), (False, CASEWORKER)])
def test_a_revision_awaiting_approval_goes_to_a_supervisor_otherwise_to_the_caseworker(
        needs_approval, audience):
    [notice] = announcement_for("plan_revised", {
        "case_id": "case-1", "plan_id": "plan-1", "programme_id": "p-1", "version": 2,
        "total": eur(120_000), "needs_approval": needs_approval}).staff
    assert notice.audience == audience
    assert ("awaits approval" in notice.text) is needs_approval


def test_an_approved_plan_tells_the_caseworker_its_version_and_total():
    [notice] = announcement_for("plan_approved", {
        "case_id": "case-1", "plan_id": "plan-1", "programme_id": "p-1", "version": 1,
        "total": eur(150_000), "currency": "EUR", "reservation_id": "plan:plan-1",
        "lines": []}).staff
    assert notice.audience == CASEWORKER
    assert notice.text == "Plan plan-1 (version 1) of case case-1 was approved for 1500.00 EUR."


def test_notices_carry_only_what_the_event_says_so_an_extra_field_never_leaks_into_them():
    # Consumers read contracts leniently: a field added later (or smuggled in) is not echoed.
    said = announcement_for("payout_paid", {**PAYOUT, "given_names": "Mariama"})
    texts = [n.text for n in said.staff] + [m.text for m in said.beneficiary]
    assert texts and not any("Mariama" in text for text in texts)
