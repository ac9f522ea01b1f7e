"""A restarted partner remembers what it accepted, as a real operator would."""
import uuid


def test_a_restarted_partner_remembers_transfers_and_their_references(own_partner, caller_for,
                                                                      transfer_body):
    operator = caller_for(own_partner.start())
    reference_id = str(uuid.uuid4())
    operator.submit_transfer(transfer_body(), reference_id)
    settled = operator.wait_for_final_transfer(reference_id)

    operator = caller_for(own_partner.restart())

    assert operator.transfer(reference_id).body == settled
    assert operator.submit_transfer(transfer_body(), reference_id).status == 202
    assert operator.submit_transfer(transfer_body(amount="1"), reference_id).status == 409
    assert own_partner.control.transfers()["countsByExternalId"] == {"payout-1": 1}


def test_a_transfer_pending_when_the_partner_is_killed_settles_and_calls_back_after_restart(
        own_partner, caller_for, callbacks, transfer_body):
    own_partner.start()
    own_partner.control.set_settle_delay(400)
    reference_id = str(uuid.uuid4())
    caller_for(own_partner).submit_transfer(transfer_body(), reference_id, callback_url=callbacks.url)

    own_partner.kill()
    operator = caller_for(own_partner.start())

    assert operator.wait_for_final_transfer(reference_id)["status"] == "SUCCESSFUL"
    [delivered] = callbacks.wait_for(1)
    assert delivered["externalId"] == "payout-1"


def test_a_restarted_partner_remembers_vouchers_and_account_holders(own_partner, caller_for,
                                                                    voucher_body):
    operator = caller_for(own_partner.start())
    own_partner.control.add_account_holders(
        [{"msisdn": "2207000001", "givenName": "Awa", "familyName": "Jallow"}])
    reference_id = str(uuid.uuid4())
    code = operator.issue_voucher(voucher_body(), reference_id).body["voucherCode"]

    operator = caller_for(own_partner.restart())

    assert own_partner.control.collect_voucher(code, "GM1234567")["referenceId"] == reference_id
    holder = operator.request("GET", "/disbursement/v1_0/accountholder/msisdn/2207000001/basicuserinfo")
    assert holder.body["name"] == "Awa Jallow"
