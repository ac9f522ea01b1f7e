"""Asynchronous settlement reported to X-Callback-Url, with retries and injected duplicates."""
import time
import uuid


def test_posts_the_final_transfer_to_the_callback_url_once_settled(operator, callbacks, transfer_body):
    reference_id = str(uuid.uuid4())

    operator.submit_transfer(transfer_body(), reference_id, callback_url=callbacks.url)

    [delivered] = callbacks.wait_for(1)
    assert delivered == operator.transfer(reference_id).body
    assert delivered["status"] == "SUCCESSFUL"


def test_retries_a_failing_callback_endpoint_with_backoff_until_it_accepts(operator, control, callbacks,
                                                                           transfer_body):
    callbacks.refuse_next(2)

    operator.submit_transfer(transfer_body(), callback_url=callbacks.url)

    [delivered] = callbacks.wait_for(1)
    assert len(callbacks.refused) == 2 and callbacks.refused[0] == delivered
    # The partner records the delivery just after our endpoint answered: wait for it.
    [record] = _wait_for_callback_state(control, "delivered")
    assert record["attempts"] == 3


def test_gives_up_on_a_callback_endpoint_after_the_configured_attempts(operator, control, callbacks,
                                                                       transfer_body):
    callbacks.refuse_next(100)
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(), reference_id, callback_url=callbacks.url)
    operator.wait_for_final_transfer(reference_id)

    [record] = _wait_for_callback_state(control, "abandoned")

    assert record["attempts"] == 5
    assert len(callbacks.refused) == 5 and callbacks.received == []


def test_duplicate_fault_delivers_the_final_callback_twice_then_a_stale_pending_one(
        operator, control, callbacks, transfer_body):
    control.duplicate_callbacks_of_next_transfers(1, copies=2, stale_pending=True)

    operator.submit_transfer(transfer_body(), callback_url=callbacks.url)

    delivered = callbacks.wait_for(3)
    assert [payload["status"] for payload in delivered] == ["SUCCESSFUL", "SUCCESSFUL", "PENDING"]
    assert delivered[0] == delivered[1]


def test_the_duplicate_fault_only_affects_the_number_of_transfers_asked_for(operator, control, callbacks,
                                                                            transfer_body):
    control.duplicate_callbacks_of_next_transfers(1, copies=3)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())

    operator.submit_transfer(transfer_body("payout-1"), first, callback_url=callbacks.url)
    operator.submit_transfer(transfer_body("payout-2"), second, callback_url=callbacks.url)

    delivered = callbacks.wait_for(4)
    assert sorted(payload["externalId"] for payload in delivered) == ["payout-1"] * 3 + ["payout-2"]


def _wait_for_callback_state(control, state, timeout_s=3.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        records = control.callbacks()
        if records and all(record["state"] == state for record in records):
            return records
        time.sleep(0.02)
    raise AssertionError(f"callbacks never became {state}: {control.callbacks()}")
