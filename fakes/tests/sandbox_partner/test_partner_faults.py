"""Fault injection: planned failures, answers lost after acceptance, outages, reset."""
import http.client
import time
import uuid

import pytest

from sandbox_partner.control import ControlError


def test_fail_next_makes_exactly_that_many_new_transfers_fail_with_the_reason(operator, control,
                                                                            transfer_body):
    control.fail_next_transfers(2, "PAYEE_NOT_FOUND")
    references = [str(uuid.uuid4()) for _ in range(3)]

    for number, reference_id in enumerate(references):
        assert operator.submit_transfer(transfer_body(f"payout-{number}"), reference_id).status == 202

    finals = [operator.wait_for_final_transfer(reference_id) for reference_id in references]
    assert [final["status"] for final in finals] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert finals[0]["reason"]["code"] == "PAYEE_NOT_FOUND"
    assert "financialTransactionId" not in finals[0]


def test_stacked_failures_are_consumed_in_the_order_they_were_armed(operator, control, transfer_body):
    control.fail_next_transfers(1, "NOT_ENOUGH_FUNDS")
    control.fail_next_transfers(1, "PAYEE_NOT_FOUND")
    first, second = str(uuid.uuid4()), str(uuid.uuid4())

    operator.submit_transfer(transfer_body("payout-1"), first)
    operator.submit_transfer(transfer_body("payout-2"), second)

    assert operator.wait_for_final_transfer(first)["reason"]["code"] == "NOT_ENOUGH_FUNDS"
    assert operator.wait_for_final_transfer(second)["reason"]["code"] == "PAYEE_NOT_FOUND"


def test_a_replayed_submission_does_not_consume_a_planned_failure(operator, control, transfer_body):
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body("payout-1"), reference_id)
    control.fail_next_transfers(1, "NOT_ENOUGH_FUNDS")

    operator.submit_transfer(transfer_body("payout-1"), reference_id)

    assert control.faults()["failNext"] == ["NOT_ENOUGH_FUNDS"]
    assert operator.wait_for_final_transfer(reference_id)["status"] == "SUCCESSFUL"


def test_refuses_to_arm_an_unknown_failure_reason(control):
    with pytest.raises(ControlError) as refused:
        control.fail_next_transfers(1, "NO_SUCH_REASON")

    assert refused.value.status == 400


def test_a_500_after_accepting_leaves_exactly_one_transfer_and_the_retry_is_accepted(
        operator, control, transfer_body):
    control.answer_500_after_next_submissions(1)
    reference_id = str(uuid.uuid4())

    failed = operator.submit_transfer(transfer_body(), reference_id)
    retried = operator.submit_transfer(transfer_body(), reference_id)

    assert (failed.status, failed.body["code"]) == (500, "INTERNAL_PROCESSING_ERROR")
    assert retried.status == 202
    ledger = control.transfers()
    assert ledger["countsByExternalId"] == {"payout-1": 1}
    assert ledger["submissionsByReferenceId"] == {reference_id: 2}
    assert operator.wait_for_final_transfer(reference_id)["status"] == "SUCCESSFUL"


def test_a_timeout_after_accepting_stores_the_transfer_before_the_client_gives_up(
        operator, control, transfer_body):
    control.time_out_next_submissions(1, delay_ms=1_000)
    reference_id = str(uuid.uuid4())

    with pytest.raises(TimeoutError):
        operator.submit_transfer(transfer_body(), reference_id, timeout_s=0.3)

    assert operator.wait_for_final_transfer(reference_id)["status"] == "SUCCESSFUL"
    assert operator.submit_transfer(transfer_body(), reference_id).status == 202
    assert control.transfers()["countsByExternalId"] == {"payout-1": 1}


def test_a_connection_dropped_after_accepting_still_leaves_one_transfer(operator, control,
                                                                        transfer_body):
    control.drop_connection_after_next_submissions(1)
    reference_id = str(uuid.uuid4())

    with pytest.raises(http.client.RemoteDisconnected):
        operator.submit_transfer(transfer_body(), reference_id)

    assert operator.transfer(reference_id).status == 200
    assert control.transfers()["countsByExternalId"] == {"payout-1": 1}


def test_answers_503_to_every_api_call_while_down_and_stores_nothing(operator, control, transfer_body):
    control.go_down()
    reference_id = str(uuid.uuid4())

    submitted = operator.submit_transfer(transfer_body(), reference_id)
    polled = operator.transfer(reference_id)
    looked_up = operator.request(
        "GET", "/disbursement/v1_0/accountholder/msisdn/2207000001/basicuserinfo")

    assert [reply.status for reply in (submitted, polled, looked_up)] == [503, 503, 503]
    assert submitted.body["code"] == "SERVICE_UNAVAILABLE" and submitted.headers["Retry-After"]
    assert control.health()["apiDown"] is True
    control.come_up()
    assert operator.submit_transfer(transfer_body(), reference_id).status == 202
    assert control.transfers()["countsByExternalId"] == {"payout-1": 1}


def test_comes_back_by_itself_when_the_outage_duration_has_passed(operator, control, transfer_body):
    control.go_down(duration_ms=200)

    assert operator.submit_transfer(transfer_body()).status == 503
    time.sleep(0.25)
    assert operator.submit_transfer(transfer_body()).status == 202


def test_reset_forgets_transfers_faults_and_settings(operator, control, transfer_body):
    control.set_settle_delay(60_000)
    control.fail_next_transfers(3, "NOT_ALLOWED")
    control.go_down()
    control.come_up()
    operator.submit_transfer(transfer_body())

    control.reset()

    assert control.transfers()["transfers"] == []
    assert control.faults() == {"failNext": [], "duplicateCallbacksNext": 0, "afterAcceptNext": [],
                                "down": False}
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(), reference_id)
    assert operator.wait_for_final_transfer(reference_id, timeout_s=1.0)["status"] == "SUCCESSFUL"


def test_counts_distinct_transfers_per_payout_even_under_different_references(operator, control,
                                                                              transfer_body):
    operator.submit_transfer(transfer_body("payout-1"))
    operator.submit_transfer(transfer_body("payout-1"))
    operator.submit_transfer(transfer_body("payout-2"))

    assert control.transfers()["countsByExternalId"] == {"payout-1": 2, "payout-2": 1}
