"""Bulk disbursement: many transfers per request, each with the single transfer's rules."""
import uuid


def _bulk(operator, items):
    return operator.request("POST", "/disbursement/v1_0/bulktransfer", {"transfers": items})


def _item(transfer_body, reference_id, external_id, **overrides):
    return {"referenceId": reference_id, **transfer_body(external_id=external_id), **overrides}


def test_a_bulk_request_accepts_each_new_transfer_and_settles_them(operator, control, transfer_body):
    references = [str(uuid.uuid4()) for _ in range(3)]
    reply = _bulk(operator, [_item(transfer_body, r, f"payout-{n}") for n, r in enumerate(references)])

    assert reply.status == 202
    assert [r["status"] for r in reply.body["results"]] == ["ACCEPTED"] * 3
    finals = [operator.wait_for_final_transfer(r)["status"] for r in references]
    assert finals == ["SUCCESSFUL"] * 3
    assert control.transfer_counts()["transfers"] == 3


def test_a_replayed_bulk_request_moves_nothing_twice_and_says_duplicate(operator, control, transfer_body):
    items = [_item(transfer_body, str(uuid.uuid4()), f"payout-{n}") for n in range(2)]
    _bulk(operator, items)

    again = _bulk(operator, items)

    assert [r["status"] for r in again.body["results"]] == ["DUPLICATE", "DUPLICATE"]
    counts = control.transfer_counts()
    assert (counts["transfers"], counts["maxPerExternalId"], counts["submissions"]) == (2, 1, 4)


def test_a_single_transfer_replayed_in_bulk_is_the_same_transfer(operator, control, transfer_body):
    reference = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(external_id="payout-7"), reference)

    replay = _bulk(operator, [_item(transfer_body, reference, "payout-7")])

    assert replay.body["results"][0]["status"] == "DUPLICATE"
    assert control.transfers()["countsByExternalId"] == {"payout-7": 1}


def test_invalid_or_conflicting_items_are_rejected_alone_with_their_codes(operator, control,
                                                                          transfer_body):
    taken = str(uuid.uuid4())
    _bulk(operator, [_item(transfer_body, taken, "payout-1")])

    reply = _bulk(operator, [
        _item(transfer_body, str(uuid.uuid4()), "payout-2", amount="12.50"),
        _item(transfer_body, taken, "payout-1", amount="1"),
        _item(transfer_body, "not-a-uuid", "payout-3"),
        _item(transfer_body, str(uuid.uuid4()), "payout-4")])

    assert [(r["status"], r.get("code")) for r in reply.body["results"]] == [
        ("REJECTED", "INVALID_AMOUNT"), ("REJECTED", "RESOURCE_ALREADY_EXIST"),
        ("REJECTED", "INVALID_REFERENCE_ID"), ("ACCEPTED", None)]


def test_a_bulk_request_while_the_partner_is_down_is_503_and_stores_nothing(operator, control,
                                                                            transfer_body):
    control.go_down()
    reply = _bulk(operator, [_item(transfer_body, str(uuid.uuid4()), "payout-1")])
    control.come_up()

    assert reply.status == 503
    assert control.transfer_counts()["transfers"] == 0


def test_the_status_query_answers_many_transfers_and_null_for_unknown_ones(operator, transfer_body):
    known = str(uuid.uuid4())
    _bulk(operator, [_item(transfer_body, known, "payout-1")])
    operator.wait_for_final_transfer(known)
    unknown = str(uuid.uuid4())

    reply = operator.request("POST", "/disbursement/v1_0/transfer/status-query",
                             {"referenceIds": [known, unknown]})

    assert reply.status == 200
    assert reply.body["transfers"][known]["status"] == "SUCCESSFUL"
    assert reply.body["transfers"][unknown] is None
