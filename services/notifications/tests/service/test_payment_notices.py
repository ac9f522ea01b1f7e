"""Payments' events become notices for finance, the caseworker and the beneficiary — once
each, however often the broker delivers them."""
import pytest

from reintegra.contracts.errors import InvalidInput

PAYOUT = {"payout_id": "po-1", "instalment_id": "in-1", "case_id": "case-1",
          "route": "mobile_money", "amount": {"amount": 75_000, "currency": "EUR"}}


def test_a_payout_paid_delivered_twice_queues_one_message_and_one_caseworker_notice(
        call, publish_event, event, events_handled, service, eventually):
    paid = event("payments", "payout_paid", PAYOUT)
    publish_event(paid, source="payments")
    publish_event(paid, source="payments")
    # Queued behind the duplicate: once it is handled, so (almost surely) is the duplicate.
    publish_event(event("payments", "payout_paid", {**PAYOUT, "payout_id": "po-2",
                                                    "case_id": "case-2"}), source="payments")

    eventually(lambda: call("notices_for_case", "case-2")["beneficiary"])
    notices = call("notices_for_case", "case-1")
    assert events_handled(service.config["DATABASE_URL"]) == 2
    assert [(m["kind"], m["status"], m["channel"]) for m in notices["beneficiary"]] == [
        ("payout_paid", "queued", None)]
    assert [(n["kind"], n["audience"]) for n in call("notices_for_case", "case-1")["staff"]] == [
        ("payout_paid", "caseworker")]


def test_a_due_instalment_and_a_failed_payout_reach_finance_by_role(
        call, publish_event, event, eventually):
    publish_event(event("payments", "instalment_due", {
        "instalment_id": "in-1", "case_id": "case-1", "plan_id": "plan-1", "number": 1,
        "amount": PAYOUT["amount"]}), source="payments")
    failed = event("payments", "payout_failed", {**PAYOUT, "reason": "PAYEE_NOT_FOUND"})
    publish_event(failed, source="payments")
    publish_event(failed, source="payments")

    finance = eventually(lambda: (lambda n: n if len(n) == 2 else None)(
        call("notices_for_role", "finance_officer")["notices"]))
    assert sorted(n["kind"] for n in finance) == ["instalment_due", "payout_failed"]
    caseworker = call("notices_for_role", "caseworker")["notices"]
    assert [n["text"] for n in caseworker] == [
        "Payout po-1 of 750.00 EUR to case case-1 by mobile money failed: PAYEE_NOT_FOUND."]


def test_asking_for_the_notices_of_an_unknown_role_names_the_field(call):
    with pytest.raises(InvalidInput) as refused:
        call("notices_for_role", "beneficiary")
    assert "role" in refused.value.fields


@pytest.mark.parametrize("limit", ["ten", 0, 501, 2.5])
def test_asking_for_a_limit_that_is_not_a_whole_number_from_1_to_500_names_the_field(call, limit):
    with pytest.raises(InvalidInput) as refused:
        call("notices_for_role", "finance_officer", limit)
    assert list(refused.value.fields) == ["limit"]


def test_a_limit_given_as_text_is_read_as_a_number(call, publish_event, event, eventually):
    for number in (1, 2):
        publish_event(event("payments", "instalment_due", {
            "instalment_id": f"in-{number}", "case_id": "case-1", "plan_id": "plan-1",
            "number": number, "amount": PAYOUT["amount"]}), source="payments")
    eventually(lambda: len(call("notices_for_role", "finance_officer")["notices"]) == 2 or None)
    assert len(call("notices_for_role", "finance_officer", "1")["notices"]) == 1
