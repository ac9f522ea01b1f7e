"""Disbursement transfers: acceptance, idempotency by X-Reference-Id, validation, settlement."""
import base64
import uuid

import pytest


def test_accepts_a_transfer_with_202_and_an_empty_body_then_reports_it_pending(operator, control,
                                                                               transfer_body):
    control.set_settle_delay(5_000)
    reference_id = str(uuid.uuid4())

    accepted = operator.submit_transfer(transfer_body(), reference_id)

    assert (accepted.status, accepted.body) == (202, None)
    status = operator.transfer(reference_id)
    assert status.status == 200
    assert status.body["status"] == "PENDING"
    assert status.body["amount"] == "150000" and status.body["externalId"] == "payout-1"
    assert "financialTransactionId" not in status.body


def test_settles_successfully_after_the_delay_with_a_financial_transaction_id(operator, transfer_body):
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(), reference_id)

    final = operator.wait_for_final_transfer(reference_id)

    assert final["status"] == "SUCCESSFUL"
    assert final["financialTransactionId"].isdigit()
    assert final["payee"] == {"partyIdType": "MSISDN", "partyId": "+2207000001"}


def test_the_same_reference_and_body_is_accepted_again_without_a_second_transfer(operator, control,
                                                                                 transfer_body):
    reference_id = str(uuid.uuid4())

    replies = [operator.submit_transfer(transfer_body(), reference_id) for _ in range(3)]

    assert [reply.status for reply in replies] == [202, 202, 202]
    ledger = control.transfers()
    assert len(ledger["transfers"]) == 1
    assert ledger["countsByExternalId"] == {"payout-1": 1}
    assert ledger["submissionsByReferenceId"] == {reference_id: 3}


def test_the_same_reference_with_a_different_body_is_refused_with_409(operator, control, transfer_body):
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(amount="150000"), reference_id)

    conflict = operator.submit_transfer(transfer_body(amount="150001"), reference_id)

    assert conflict.status == 409
    assert conflict.body["code"] == "RESOURCE_ALREADY_EXIST"
    assert operator.transfer(reference_id).body["amount"] == "150000"
    assert control.transfers()["submissionsByReferenceId"] == {reference_id: 1}


def test_an_unknown_reference_is_404(operator):
    missing = operator.transfer(str(uuid.uuid4()))

    assert (missing.status, missing.body["code"]) == (404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_refuses_calls_without_the_configured_bearer_token(operator, transfer_body, token):
    headers = {"X-Reference-Id": str(uuid.uuid4()),
               "Authorization": "" if token is None else f"Bearer {token}"}

    refused = operator.request("POST", "/disbursement/v1_0/transfer", transfer_body(), headers)

    assert (refused.status, refused.body["code"]) == (401, "UNAUTHORIZED")


@pytest.mark.parametrize("change, code", [
    ({"amount": 150000}, "INVALID_AMOUNT"),
    ({"amount": "1500.00"}, "INVALID_AMOUNT"),
    ({"amount": "0"}, "INVALID_AMOUNT"),
    ({"currency": "eur"}, "INVALID_CURRENCY"),
    ({"payee": {"partyIdType": "MSISDN", "partyId": "call me"}}, "INVALID_PAYEE"),
    ({"payee": {"partyIdType": "EMAIL", "partyId": "a@b.org"}}, "INVALID_PAYEE"),
    ({"externalId": ""}, "BAD_REQUEST"),
])
def test_rejects_malformed_transfers_with_momo_style_codes_and_stores_nothing(
        operator, control, transfer_body, change, code):
    rejected = operator.submit_transfer({**transfer_body(), **change})

    assert (rejected.status, rejected.body["code"]) == (400, code)
    assert control.transfers()["transfers"] == []


def test_rejects_a_reference_id_that_is_not_a_uuid(operator, transfer_body):
    rejected = operator.submit_transfer(transfer_body(), reference_id="payout-1")

    assert (rejected.status, rejected.body["code"]) == (400, "INVALID_REFERENCE_ID")


def test_rejects_a_callback_url_that_is_not_http(operator, transfer_body):
    rejected = operator.submit_transfer(transfer_body(), callback_url="ftp://127.0.0.1/cb")

    assert (rejected.status, rejected.body["code"]) == (400, "INVALID_CALLBACK_URL_HOST")


def test_issues_the_static_access_token_for_the_configured_api_user_and_key(operator):
    credentials = base64.b64encode(b"sandbox-api-user:sandbox-api-key").decode()

    granted = operator.request("POST", "/disbursement/token/",
                               headers={"Authorization": f"Basic {credentials}"})
    refused = operator.request("POST", "/disbursement/token/",
                               headers={"Authorization": "Basic eDp5"})

    assert granted.status == 200 and granted.body["access_token"] == operator.token
    assert refused.status == 401
