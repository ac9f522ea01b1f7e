"""Connect through the official SDK: recipient accounts, bank accounts, transfers, payouts, balances."""
import pytest
import stripe


GOOD_IBAN = "DE89370400440532013000"
CLOSED_ACCOUNT_IBAN = "DE35370400440532013002"


def recipient_account(client, country="DE", agreement="recipient"):
    return client.v1.accounts.create({
        "type": "custom", "country": country, "business_type": "individual",
        "capabilities": {"transfers": {"requested": True}},
        "individual": {"first_name": "Amina", "last_name": "Diallo",
                       "dob": {"day": 4, "month": 7, "year": 1991}},
        "tos_acceptance": {"date": 1_700_000_000, "ip": "192.0.2.10", "service_agreement": agreement},
        "metadata": {"payee": "P-1"},
    })


def add_iban(client, account_id, iban=GOOD_IBAN, country="DE"):
    return client.v1.accounts.external_accounts.create(account_id, {"external_account": {
        "object": "bank_account", "country": country, "currency": "eur", "account_number": iban,
        "account_holder_name": "Amina Diallo"}})


def ready_recipient(client, iban=GOOD_IBAN):
    account = recipient_account(client)
    add_iban(client, account.id, iban)
    return client.v1.accounts.retrieve(account.id)


def test_a_new_recipient_account_cannot_receive_transfers_until_it_has_a_bank_account(client):
    account = recipient_account(client)

    assert account.capabilities.transfers == "inactive"
    assert account.requirements.currently_due == ["external_account"]
    assert account.payouts_enabled is False
    assert account.individual.first_name == "Amina"


def test_attaching_an_iban_activates_transfers_and_payouts(client):
    account = recipient_account(client)

    bank = add_iban(client, account.id)
    account = client.v1.accounts.retrieve(account.id)

    assert (bank.last4, bank.default_for_currency, bank.account) == ("3000", True, account.id)
    assert account.capabilities.transfers == "active"
    assert account.payouts_enabled is True
    assert account.requirements.disabled_reason is None
    assert [listed.id for listed in account.external_accounts.data] == [bank.id]


def test_the_account_holder_name_can_be_read_back_for_payee_confirmation(client):
    account = ready_recipient(client)

    listed = client.v1.accounts.external_accounts.list(account.id, {"object": "bank_account"})

    assert [bank.account_holder_name for bank in listed.data] == ["Amina Diallo"]


def test_an_iban_with_a_wrong_check_digit_is_refused_on_the_account_number(client):
    account = recipient_account(client)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        add_iban(client, account.id, iban="FR1420041010050500013M02607", country="FR")

    assert refused.value.code == "account_number_invalid"
    assert refused.value.param == "external_account[account_number]"


def test_a_bank_account_token_can_be_used_only_once(client):
    token = client.v1.tokens.create({"bank_account": {
        "country": "DE", "currency": "eur", "account_number": GOOD_IBAN,
        "account_holder_name": "Amina Diallo"}})
    first, second = recipient_account(client), recipient_account(client)

    client.v1.accounts.external_accounts.create(first.id, {"external_account": token.id})
    with pytest.raises(stripe.InvalidRequestError) as reused:
        client.v1.accounts.external_accounts.create(second.id, {"external_account": token.id})

    assert "more than once" in reused.value.user_message


def test_a_transfer_moves_money_from_the_platform_to_the_connected_balance(client):
    account = ready_recipient(client)
    platform_before = client.v1.balance.retrieve().available[0].amount

    transfer = client.v1.transfers.create({"amount": 100_000, "currency": "eur", "destination": account.id,
                                           "transfer_group": "case-7", "metadata": {"instalment": "1"}})

    connected = client.v1.balance.retrieve(options={"stripe_account": account.id})
    assert (transfer.amount, transfer.destination) == (100_000, account.id)
    assert transfer.metadata["instalment"] == "1"
    assert client.v1.balance.retrieve().available[0].amount == platform_before - 100_000
    assert [(entry.currency, entry.amount) for entry in connected.available] == [("eur", 100_000)]


def test_transfers_are_listed_newest_first_by_transfer_group(client):
    account = ready_recipient(client)
    first = client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id,
                                        "transfer_group": "case-7"})
    client.v1.transfers.create({"amount": 2_000, "currency": "eur", "destination": account.id,
                                "transfer_group": "case-8"})
    second = client.v1.transfers.create({"amount": 3_000, "currency": "eur", "destination": account.id,
                                         "transfer_group": "case-7"})

    listed = client.v1.transfers.list({"transfer_group": "case-7", "limit": 1})

    assert [transfer.id for transfer in listed.data] == [second.id]
    assert listed.has_more is True
    rest = client.v1.transfers.list({"transfer_group": "case-7", "starting_after": second.id})
    assert [transfer.id for transfer in rest.data] == [first.id]


def test_expand_replaces_the_destination_id_by_the_account(client):
    account = ready_recipient(client)
    transfer = client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})

    expanded = client.v1.transfers.retrieve(transfer.id, {"expand": ["destination"]})

    assert expanded.destination.id == account.id
    assert expanded.destination.individual.last_name == "Diallo"


def test_a_transfer_to_an_account_without_active_transfers_capability_is_refused(client):
    account = recipient_account(client)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": account.id})

    assert refused.value.code == "insufficient_capabilities_for_transfer"


def test_cross_border_transfers_need_the_recipient_service_agreement(client):
    full = recipient_account(client, country="SN", agreement="full")
    add_iban(client, full.id)
    recipient = recipient_account(client, country="SN", agreement="recipient")
    add_iban(client, recipient.id)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": full.id})
    accepted = client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": recipient.id})

    assert refused.value.code == "transfers_not_allowed"
    assert accepted.destination == recipient.id


def test_a_transfer_larger_than_the_platform_balance_is_refused_as_balance_insufficient(client, server):
    account = ready_recipient(client)
    server.ok("POST", "/_control/balance", {"currency": "eur", "amount": 99_999})

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create({"amount": 100_000, "currency": "eur", "destination": account.id})

    assert (refused.value.http_status, refused.value.code) == (400, "balance_insufficient")
    assert server.counts().get("transfer", 0) == 0


def test_a_partial_reversal_returns_money_and_marks_the_transfer_partly_reversed(client):
    account = ready_recipient(client)
    transfer = client.v1.transfers.create({"amount": 10_000, "currency": "eur", "destination": account.id})

    reversal = client.v1.transfers.reversals.create(transfer.id, {"amount": 4_000})
    transfer = client.v1.transfers.retrieve(transfer.id)

    assert (reversal.amount, reversal.transfer) == (4_000, transfer.id)
    assert (transfer.amount_reversed, transfer.reversed) == (4_000, False)
    assert [entry.id for entry in transfer.reversals.data] == [reversal.id]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.transfers.reversals.create(transfer.id, {"amount": 6_001})


def test_a_payout_on_a_connected_account_is_invisible_without_its_stripe_account_header(client):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 10_000, "currency": "eur", "destination": account.id})
    options = {"stripe_account": account.id}

    payout = client.v1.payouts.create({"amount": 10_000, "currency": "eur"}, options)

    assert (payout.status, payout.destination) == ("pending", account.external_accounts.data[0].id)
    assert client.v1.payouts.retrieve(payout.id, options=options).id == payout.id
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payouts.retrieve(payout.id)
    assert missing.value.http_status == 404


def test_a_payout_beyond_the_connected_balance_is_refused(client):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 5_000, "currency": "eur", "destination": account.id})

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payouts.create({"amount": 5_001, "currency": "eur"}, {"stripe_account": account.id})

    assert refused.value.code == "balance_insufficient"


def test_a_payout_to_stripes_closed_account_test_iban_fails_with_account_closed(client, server):
    account = ready_recipient(client, iban=CLOSED_ACCOUNT_IBAN)
    client.v1.transfers.create({"amount": 5_000, "currency": "eur", "destination": account.id})
    options = {"stripe_account": account.id}
    payout = client.v1.payouts.create({"amount": 5_000, "currency": "eur"}, options)

    server.ok("POST", f"/_control/payouts/{payout.id}/settle")
    payout = client.v1.payouts.retrieve(payout.id, options=options)

    assert (payout.status, payout.failure_code) == ("failed", "account_closed")
    assert client.v1.balance.retrieve(options=options).available[0].amount == 5_000


def test_a_payout_to_a_good_iban_settles_as_paid(client, server):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 5_000, "currency": "eur", "destination": account.id})
    payout = client.v1.payouts.create({"amount": 5_000, "currency": "eur"}, {"stripe_account": account.id})

    settled = server.ok("POST", f"/_control/payouts/{payout.id}/settle")

    assert settled["status"] == "paid"


def test_the_payout_schedule_pays_out_what_transfers_brought_in(client, server):
    account = ready_recipient(client)
    client.v1.transfers.create({"amount": 7_000, "currency": "eur", "destination": account.id})

    issued = server.ok("POST", "/_control/payout_schedule/run", {"account": account.id})["data"]

    assert [(payout["amount"], payout["automatic"]) for payout in issued] == [(7_000, True)]
    listed = client.v1.payouts.list(options={"stripe_account": account.id})
    assert [payout.id for payout in listed.data] == [issued[0]["id"]]
