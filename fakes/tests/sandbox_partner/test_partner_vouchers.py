"""Cash pickup: single-use voucher codes, collection after an ID check, expiry, cancellation."""
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from sandbox_partner.control import ControlError
from sandbox_partner.vouchers import CODE_ALPHABET, CODE_LENGTH


def _issue(operator, voucher_body, **overrides):
    reference_id = str(uuid.uuid4())
    issued = operator.issue_voucher(voucher_body(**overrides), reference_id)
    assert issued.status == 201, issued.body
    return reference_id, issued.body


def test_issues_an_unambiguous_single_use_code_valid_for_thirty_days(operator, voucher_body):
    reference_id, voucher = _issue(operator, voucher_body)

    assert voucher["status"] == "ISSUED" and voucher["referenceId"] == reference_id
    assert len(voucher["voucherCode"]) == CODE_LENGTH
    assert set(voucher["voucherCode"]) <= set(CODE_ALPHABET)
    validity = _parse(voucher["expiresAt"]) - _parse(voucher["issuedAt"])
    assert validity == timedelta(days=30)
    assert operator.transfer(reference_id).body["status"] == "PENDING"


def test_reissuing_with_the_same_reference_returns_the_same_code(operator, control, voucher_body):
    reference_id = str(uuid.uuid4())

    first = operator.issue_voucher(voucher_body(), reference_id)
    again = operator.issue_voucher(voucher_body(), reference_id)
    conflict = operator.issue_voucher(voucher_body(amount="1"), reference_id)

    assert again.status == 201 and again.body["voucherCode"] == first.body["voucherCode"]
    assert (conflict.status, conflict.body["code"]) == (409, "RESOURCE_ALREADY_EXIST")
    assert control.transfers()["countsByExternalId"] == {"payout-cash-1": 1}


def test_collecting_with_the_matching_id_document_pays_the_transfer(operator, control, callbacks,
                                                                      voucher_body):
    reference_id = str(uuid.uuid4())
    issued = operator.issue_voucher(voucher_body(), reference_id, callback_url=callbacks.url)
    code = issued.body["voucherCode"]

    collected = control.collect_voucher(code, "gm 123-4567")

    assert collected["status"] == "COLLECTED"
    transfer = operator.transfer(reference_id).body
    assert transfer["status"] == "SUCCESSFUL"
    assert transfer["financialTransactionId"] == collected["financialTransactionId"]
    [notified] = callbacks.wait_for(1)
    assert notified == operator.voucher(reference_id).body


def test_refuses_collection_when_the_id_document_does_not_match(operator, control, voucher_body):
    reference_id, voucher = _issue(operator, voucher_body)

    with pytest.raises(ControlError) as refused:
        control.collect_voucher(voucher["voucherCode"], "GM7654321")

    assert (refused.value.status, refused.value.body["code"]) == (422, "ID_DOCUMENT_MISMATCH")
    assert operator.voucher(reference_id).body["status"] == "ISSUED"


def test_a_voucher_cannot_be_collected_twice(operator, control, voucher_body):
    _, voucher = _issue(operator, voucher_body)
    control.collect_voucher(voucher["voucherCode"], "GM1234567")

    with pytest.raises(ControlError) as refused:
        control.collect_voucher(voucher["voucherCode"], "GM1234567")

    assert (refused.value.status, refused.value.body["code"]) == (409, "VOUCHER_COLLECTED")


def test_an_expired_voucher_can_never_be_collected_and_its_transfer_fails(operator, control,
                                                                         voucher_body):
    reference_id, voucher = _issue(operator, voucher_body)

    expired = control.expire_voucher(reference_id)
    with pytest.raises(ControlError) as refused:
        control.collect_voucher(voucher["voucherCode"], "GM1234567")

    assert expired["status"] == "EXPIRED"
    assert (refused.value.status, refused.value.body["code"]) == (409, "VOUCHER_EXPIRED")
    transfer = operator.transfer(reference_id).body
    assert (transfer["status"], transfer["reason"]["code"]) == ("FAILED", "EXPIRED")


def test_a_voucher_expires_by_itself_at_its_expiry_time(operator, control, voucher_body):
    expires_at = datetime.now(timezone.utc) + timedelta(milliseconds=300)
    reference_id, voucher = _issue(operator, voucher_body, expiresAt=expires_at.isoformat())

    time.sleep(0.4)

    assert operator.voucher(reference_id).body["status"] == "EXPIRED"
    with pytest.raises(ControlError):
        control.collect_voucher(voucher["voucherCode"], "GM1234567")


def test_an_expiry_in_the_past_is_rejected(operator, voucher_body):
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()

    rejected = operator.issue_voucher(voucher_body(expiresAt=yesterday))

    assert (rejected.status, rejected.body["code"]) == (400, "INVALID_EXPIRY")


def test_a_voucher_without_an_id_document_is_rejected(operator, voucher_body):
    no_document = {"givenName": "Awa", "familyName": "Jallow"}

    rejected = operator.issue_voucher(voucher_body(recipient=no_document))

    assert (rejected.status, rejected.body["code"]) == (400, "INVALID_RECIPIENT")


def test_a_cancelled_voucher_cannot_be_collected(operator, control, voucher_body):
    reference_id, voucher = _issue(operator, voucher_body)

    cancelled = operator.request("POST", f"/cashpickup/v1_0/voucher/{reference_id}/cancel")

    assert cancelled.body["status"] == "CANCELLED"
    with pytest.raises(ControlError) as refused:
        control.collect_voucher(voucher["voucherCode"], "GM1234567")
    assert refused.value.body["code"] == "VOUCHER_CANCELLED"
    assert operator.transfer(reference_id).body["reason"]["code"] == "TRANSACTION_CANCELED"


def test_a_collected_voucher_cannot_be_expired_afterwards(operator, control, voucher_body):
    reference_id, voucher = _issue(operator, voucher_body)
    control.collect_voucher(voucher["voucherCode"], "GM1234567")

    with pytest.raises(ControlError) as refused:
        control.expire_voucher(reference_id)

    assert refused.value.status == 409
    assert operator.transfer(reference_id).body["status"] == "SUCCESSFUL"


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)
