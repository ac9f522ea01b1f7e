"""Payouts from an account's balance to its bank account, and their asynchronous lifecycle.

A payout is created `pending` and later settles: `paid`, or `failed` with the failure code
that the destination's test account number dictates (see `banking`). A paid payout can still
fail later, as real ones do. Settlement happens when the control API says so, or on its own
after `settle_after` seconds when the server was started with that option. Connected accounts
with an automatic payout schedule get automatic payouts the same way.
"""
from .. import banking, errors, ids, params as p
from ..state import now
from .common import balance_transaction, connected_account, merged_metadata, page, previous_attributes, \
    require
from .onboarding import payout_schedule_interval
from .rendering import render
from .routing import Route

CREATE = p.spec({"amount": p.positive_integer, "currency": p.currency, "description": p.string,
                 "destination": p.string, "method": p.one_of("standard", "instant"),
                 "statement_descriptor": p.string, "source_type": p.one_of("bank_account", "card", "fpx")},
                required=("amount", "currency"))
UPDATE = p.spec({})
LIST = p.listing({"status": p.one_of("pending", "paid", "failed", "canceled"), "destination": p.string})

TWO_DAYS = 2 * 24 * 60 * 60


def create_payout(call):
    wanted = call.params
    owner = call.account
    if owner and not connected_account(call.store, owner)["payouts_enabled"]:
        raise errors.invalid_request("Payouts are not enabled for this account. Provide the information "
                                     "listed in its requirements to enable them.", code="payouts_not_allowed")
    bank = _destination(call, owner, wanted)
    if call.ledger.available(owner, wanted["currency"]) < wanted["amount"]:
        raise errors.balance_insufficient(errors.PAYOUT_BALANCE_TOO_LOW)
    payout = issue_payout(call.state, owner, bank, wanted["amount"], wanted["currency"], automatic=False,
                          request=(call.request_id, call.idempotency_key), details=wanted)
    return render(call.state, payout)


def retrieve_payout(call):
    return render(call.state, require(call, call.args["id"], "payout", "payout"))


def list_payouts(call):
    wanted = call.params
    payouts = call.store.select("payout", owner=call.account, where=lambda payout: all(
        payout[field] == wanted[field] for field in ("status", "destination") if field in wanted))
    return page(call, payouts, "/v1/payouts")


def update_payout(call):
    payout = require(call, call.args["id"], "payout", "payout")
    before = render(call.state, payout)
    payout["metadata"] = merged_metadata(payout["metadata"], call.params.get("metadata"))
    after = render(call.state, payout)
    if after != before:
        call.emit("payout.updated", after, account=call.account, previous=previous_attributes(before, after))
    return after


def cancel_payout(call):
    payout = require(call, call.args["id"], "payout", "payout")
    if payout["status"] != "pending":
        raise errors.invalid_request("Payouts can only be canceled while they are pending.", param="id")
    before = render(call.state, payout)
    payout["status"] = "canceled"
    call.ledger.move(call.account, payout["currency"], payout["amount"])
    after = render(call.state, payout)
    call.emit("payout.canceled", after, account=call.account, previous=previous_attributes(before, after))
    return after


def issue_payout(state, owner, bank, amount, currency, *, automatic, request=None, details=None):
    """Take `amount` out of the owner's balance and start a payout to `bank`."""
    details = details or {}
    payout = state.fixtures.template("payout")
    payout_id = ids.new_id("po")
    created = now()
    payout.update({
        "id": payout_id, "amount": amount, "arrival_date": created + TWO_DAYS, "automatic": automatic,
        "balance_transaction": balance_transaction(state, owner, -amount, currency, "payout", payout_id),
        "created": created, "currency": currency,
        "description": details.get("description", "STRIPE PAYOUT"), "destination": bank["id"],
        "livemode": False, "metadata": merged_metadata({}, details.get("metadata")),
        "method": details.get("method", "standard"), "reconciliation_status": "not_applicable",
        "statement_descriptor": details.get("statement_descriptor"), "status": "pending",
        "source_type": details.get("source_type", "card"), "trace_id": {"status": "pending", "value": None},
    })
    state.ledger.move(owner, currency, -amount)
    state.store.add(payout, owner=owner)
    # The bank account on file when the payout starts decides its fate, as with a real bank.
    state.store.private(payout_id)["outcome"] = state.store.private(bank["id"]).get("outcome")
    state.events.emit("payout.created", render(state, payout), account=owner, request=request)
    if state.config.settle_after is not None:
        state.later(state.config.settle_after, lambda: settle(state, payout))
    return payout


def settle(state, payout, request=None):
    """Finish a pending payout the way its destination's test number says. Returns the payout."""
    if payout["status"] not in ("pending", "in_transit"):
        return payout
    failure = state.store.private(payout["id"]).get("outcome")
    if failure:
        return fail(state, payout, failure, request)
    before = render(state, payout)
    payout.update({"status": "paid", "reconciliation_status": "completed",
                   "trace_id": {"status": "supported", "value": ids.random_part(16).upper()}})
    _announce(state, "payout.paid", payout, before, request)
    return payout


def fail(state, payout, failure_code, request=None):
    """Fail a payout (pending, in transit or already paid) and return the money to the balance."""
    if payout["status"] not in ("pending", "in_transit", "paid"):
        raise ValueError(f"a {payout['status']} payout cannot fail")
    owner = state.store.owner_of(payout["id"])
    before = render(state, payout)
    payout.update({
        "status": "failed", "failure_code": failure_code,
        "failure_message": banking.failure_message(failure_code),
        "failure_balance_transaction": balance_transaction(state, owner, payout["amount"], payout["currency"],
                                                           "payout_failure", payout["id"]),
    })
    state.ledger.move(owner, payout["currency"], payout["amount"])
    _announce(state, "payout.failed", payout, before, request)
    return payout


def schedule_automatic_payouts(state, account):
    """After money lands on an account with an automatic schedule, pay it out later (if enabled)."""
    if state.config.settle_after is None or payout_schedule_interval(account) == "manual":
        return
    state.later(state.config.settle_after, lambda: run_automatic_payouts(state, [account]))


def run_automatic_payouts(state, accounts):
    """What Stripe's payout schedule does: pay out each available balance to the default bank account."""
    issued = []
    for account in accounts:
        if payout_schedule_interval(account) == "manual" or not account["payouts_enabled"]:
            continue
        for currency in state.ledger.currencies(account["id"]):
            amount = state.ledger.available(account["id"], currency)
            bank = _default_bank(state, account["id"], currency)
            if amount > 0 and bank is not None:
                issued.append(issue_payout(state, account["id"], bank, amount, currency, automatic=True))
    return issued


def _announce(state, event_type, payout, before, request):
    after = render(state, payout)
    state.events.emit(event_type, after, account=state.store.owner_of(payout["id"]),
                      previous=previous_attributes(before, after), request=request)


def _destination(call, owner, wanted):
    currency = wanted["currency"]
    if owner is None:
        return _platform_bank(call.state, currency)
    if "destination" in wanted:
        bank = require(call, wanted["destination"], "bank_account", "external account", param="destination",
                       status=400)
        if bank["currency"] != currency:
            raise errors.invalid_request(f"The bank account {bank['id']} cannot receive {currency}.",
                                         param="destination")
        return bank
    bank = _default_bank(call.state, owner, currency)
    if bank is None:
        raise errors.invalid_request(f"You don't have any external accounts in that currency ({currency}).",
                                     param="currency")
    return bank


def _default_bank(state, owner, currency):
    return next((bank for bank in state.store.select("bank_account", owner=owner)
                 if bank["currency"] == currency and bank["default_for_currency"]), None)


def _platform_bank(state, currency):
    """The platform's own bank account: not modelled in detail, created on first payout."""
    bank = _default_bank(state, None, currency)
    if bank is None:
        bank = state.fixtures.template("bank_account")
        bank.update({"id": ids.new_id("ba"), "account": state.platform_account_id, "currency": currency,
                     "country": state.config.platform_country, "default_for_currency": True})
        state.store.add(bank, owner=None)
    return bank


ROUTES = [
    Route("POST", "/v1/payouts", create_payout, CREATE, "payout"),
    Route("GET", "/v1/payouts", list_payouts, LIST, "list:payout"),
    Route("GET", "/v1/payouts/<id>", retrieve_payout, p.RETRIEVE, "payout"),
    Route("POST", "/v1/payouts/<id>", update_payout, UPDATE, "payout"),
    Route("POST", "/v1/payouts/<id>/cancel", cancel_payout, p.spec({}), "payout"),
]
