"""Transfers from the platform balance to connected accounts, and their reversals.

A transfer settles at once, as on Stripe: the platform's available balance goes down and the
destination's goes up in the same step, so a transfer either exists whole or not at all.
"""
from .. import errors, ids, params as p
from ..state import now
from .common import balance_transaction, connected_account, merged_metadata, page, previous_attributes, \
    require
from .payouts import schedule_automatic_payouts
from .rendering import render, renders, sublist
from .routing import Route

CREATE = p.spec({"amount": p.positive_integer, "currency": p.currency, "destination": p.string,
                 "description": p.string, "transfer_group": p.string, "source_transaction": p.string,
                 "source_type": p.one_of("bank_account", "card", "fpx")},
                required=("amount", "currency", "destination"))
UPDATE = p.spec({"description": p.string})
LIST = p.listing({"destination": p.string, "transfer_group": p.string})
REVERSE = p.spec({"amount": p.positive_integer, "description": p.string, "refund_application_fee": p.boolean})

# Without the recipient service agreement, Connect only reaches accounts in the platform's region.
EUROPE = frozenset("AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO "
                   "SE SI SK".split())


def create_transfer(call):
    wanted = call.params
    destination = connected_account(call.store, wanted["destination"])
    if destination is None:
        raise errors.resource_missing("destination", wanted["destination"], param="destination", status=400)
    _check_can_receive(call, destination)
    amount, currency = wanted["amount"], wanted["currency"]
    if call.ledger.available(None, currency) < amount:
        raise errors.balance_insufficient(errors.PLATFORM_BALANCE_TOO_LOW)
    transfer = call.store.add(_new_transfer(call, wanted))
    call.ledger.move(None, currency, -amount)
    call.ledger.move(destination["id"], currency, amount)
    balance_transaction(call.state, destination["id"], amount, currency, "payment",
                        transfer["destination_payment"])
    snapshot = render(call.state, transfer)
    call.emit("transfer.created", snapshot)
    schedule_automatic_payouts(call.state, destination)
    return snapshot


def retrieve_transfer(call):
    return render(call.state, require(call, call.args["id"], "transfer", "transfer", owner=None))


def list_transfers(call):
    wanted = call.params
    transfers = call.store.select("transfer", owner=None, where=lambda transfer: all(
        transfer[field] == wanted[field] for field in ("destination", "transfer_group") if field in wanted))
    return page(call, transfers, "/v1/transfers")


def update_transfer(call):
    transfer = require(call, call.args["id"], "transfer", "transfer", owner=None)
    before = render(call.state, transfer)
    if "description" in call.params:
        transfer["description"] = call.params["description"] or None
    transfer["metadata"] = merged_metadata(transfer["metadata"], call.params.get("metadata"))
    after = render(call.state, transfer)
    changed = previous_attributes(before, after)
    if changed:
        call.emit("transfer.updated", after, previous=changed)
    return after


def create_reversal(call):
    transfer = require(call, call.args["id"], "transfer", "transfer", owner=None)
    remaining = transfer["amount"] - transfer["amount_reversed"]
    amount = call.params.get("amount", remaining)
    _check_reversible(call, transfer, amount, remaining)
    before = render(call.state, transfer)
    reversal = call.store.add(_new_reversal(call, transfer, amount))
    call.ledger.move(transfer["destination"], transfer["currency"], -amount)
    call.ledger.move(None, transfer["currency"], amount)
    transfer["amount_reversed"] += amount
    transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
    after = render(call.state, transfer)
    call.emit("transfer.reversed", after, previous=previous_attributes(before, after))
    return render(call.state, reversal)


def list_reversals(call):
    transfer = require(call, call.args["id"], "transfer", "transfer", owner=None)
    return page(call, _reversals_of(call.state, transfer), f"/v1/transfers/{transfer['id']}/reversals")


@renders("transfer")
def _render_transfer(state, transfer):
    transfer["reversals"] = sublist(state, _reversals_of(state, transfer),
                                    f"/v1/transfers/{transfer['id']}/reversals")
    return transfer


def _reversals_of(state, transfer):
    return state.store.select("transfer_reversal",
                              where=lambda reversal: reversal["transfer"] == transfer["id"])


def _check_can_receive(call, destination):
    if destination["capabilities"].get("transfers") != "active":
        raise errors.invalid_request(
            "Your destination account needs to have at least one of the following capabilities enabled: "
            "transfers, crypto_transfers, legacy_payments", code="insufficient_capabilities_for_transfer",
            param="destination")
    countries = {destination["country"], call.state.config.platform_country}
    same_region = len(countries) == 1 or countries <= EUROPE
    if not same_region and destination["tos_acceptance"].get("service_agreement") != "recipient":
        raise errors.invalid_request(
            f"Funds can't be sent to accounts located in {destination['country']} when the account is under "
            "the `full` service agreement. For more information on cross-border transfers, see "
            "https://stripe.com/docs/connect/cross-border-payouts", code="transfers_not_allowed",
            param="destination")


def _check_reversible(call, transfer, amount, remaining):
    if remaining == 0:
        raise errors.invalid_request(f"Transfer {transfer['id']} has already been fully reversed.",
                                     param="amount")
    if amount > remaining:
        raise errors.invalid_request(f"Refund amount ({amount}) is greater than unrefunded amount on "
                                     f"transfer ({remaining})", param="amount")
    if call.ledger.available(transfer["destination"], transfer["currency"]) < amount:
        raise errors.balance_insufficient("Insufficient funds in the destination account to reverse this "
                                          "transfer.")


def _new_transfer(call, wanted):
    transfer = call.fixtures.template("transfer")
    transfer_id = ids.new_id("tr")
    transfer.update({
        "id": transfer_id, "amount": wanted["amount"], "amount_reversed": 0, "created": now(),
        "currency": wanted["currency"], "description": wanted.get("description"),
        "destination": wanted["destination"], "destination_payment": ids.new_id("py"), "livemode": False,
        "metadata": merged_metadata({}, wanted.get("metadata")), "reversed": False,
        "source_transaction": wanted.get("source_transaction"),
        "source_type": wanted.get("source_type", "card"), "transfer_group": wanted.get("transfer_group"),
        "balance_transaction": balance_transaction(call.state, None, -wanted["amount"], wanted["currency"],
                                                   "transfer", transfer_id),
    })
    return transfer


def _new_reversal(call, transfer, amount):
    reversal = call.fixtures.template("transfer_reversal")
    reversal_id = ids.new_id("trr")
    reversal.update({
        "id": reversal_id, "amount": amount, "created": now(), "currency": transfer["currency"],
        "destination_payment_refund": ids.new_id("pyr"), "transfer": transfer["id"],
        "metadata": merged_metadata({}, call.params.get("metadata")),
        "balance_transaction": balance_transaction(call.state, None, amount, transfer["currency"],
                                                   "transfer_refund", reversal_id),
    })
    return reversal


ROUTES = [
    Route("POST", "/v1/transfers", create_transfer, CREATE, "transfer"),
    Route("GET", "/v1/transfers", list_transfers, LIST, "list:transfer"),
    Route("GET", "/v1/transfers/<id>", retrieve_transfer, p.RETRIEVE, "transfer"),
    Route("POST", "/v1/transfers/<id>", update_transfer, UPDATE, "transfer"),
    Route("POST", "/v1/transfers/<id>/reversals", create_reversal, REVERSE, "transfer_reversal"),
    Route("GET", "/v1/transfers/<id>/reversals", list_reversals, p.listing(),
          "list:transfer_reversal"),
]
