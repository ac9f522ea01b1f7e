"""Top-ups: money from the platform's bank into its payments or Issuing balance.

Stripe Issuing spends from the Issuing balance, which the platform funds by top-ups
(`destination_balance=issuing`). A top-up is created `pending` and later `succeeded` (the
money becomes available) or `failed`, when the control API says so, or on its own after
`settle_after` seconds when the server was started with that option.
"""
from .. import errors, ids, params as p
from ..state import now
from .common import balance_transaction, merged_metadata, page, previous_attributes, require
from .rendering import render
from .routing import Route

CREATE = p.spec({"amount": p.positive_integer, "currency": p.currency, "description": p.string,
                 "destination_balance": p.one_of("issuing", "payments"), "source": p.string,
                 "statement_descriptor": p.string, "transfer_group": p.string},
                required=("amount", "currency"))
UPDATE = p.spec({"description": p.string})
LIST = p.listing({"status": p.one_of("canceled", "failed", "pending", "succeeded")})

FAILURE_MESSAGES = {
    "insufficient_funds": "The source bank account has insufficient funds.",
    "account_closed": "The source bank account has been closed.",
    "could_not_process": "The bank could not process this top-up.",
}


def create_topup(call):
    wanted = call.params
    if call.account:
        raise errors.invalid_request("Top-ups can only be created on the platform account.")
    topup = call.fixtures.template("topup")
    topup.update({
        "id": ids.new_id("tu"), "amount": wanted["amount"], "balance_transaction": None, "created": now(),
        "currency": wanted["currency"], "description": wanted.get("description"),
        "expected_availability_date": now(), "failure_code": None, "failure_message": None,
        "livemode": False, "metadata": merged_metadata({}, wanted.get("metadata")),
        "statement_descriptor": wanted.get("statement_descriptor"), "status": "pending",
        "transfer_group": wanted.get("transfer_group"),
    })
    call.store.add(topup)
    call.store.private(topup["id"])["balance"] = wanted.get("destination_balance", "payments")
    snapshot = render(call.state, topup)
    call.emit("topup.created", snapshot)
    if call.state.config.settle_after is not None:
        call.state.later(call.state.config.settle_after, lambda: settle(call.state, topup))
    return snapshot


def retrieve_topup(call):
    return render(call.state, require(call, call.args["id"], "topup", "topup", owner=None))


def list_topups(call):
    wanted = call.params
    topups = call.store.select("topup", owner=None, where=lambda topup: (
        "status" not in wanted or topup["status"] == wanted["status"]))
    return page(call, topups, "/v1/topups")


def update_topup(call):
    topup = require(call, call.args["id"], "topup", "topup", owner=None)
    before = render(call.state, topup)
    if "description" in call.params:
        topup["description"] = call.params["description"] or None
    topup["metadata"] = merged_metadata(topup["metadata"], call.params.get("metadata"))
    after = render(call.state, topup)
    changed = previous_attributes(before, after)
    if changed:
        call.emit("topup.updated", after, previous=changed)
    return after


def cancel_topup(call):
    topup = require(call, call.args["id"], "topup", "topup", owner=None)
    if topup["status"] != "pending":
        raise errors.invalid_request("Only pending top-ups can be canceled.", param="id")
    before = render(call.state, topup)
    topup["status"] = "canceled"
    after = render(call.state, topup)
    call.emit("topup.canceled", after, previous=previous_attributes(before, after))
    return after


def settle(state, topup):
    """The money arrives: the destination balance grows. Returns the top-up."""
    if topup["status"] != "pending":
        return topup
    before = render(state, topup)
    destination = state.store.private(topup["id"])["balance"]
    if destination == "issuing":
        state.ledger.set_issuing(topup["currency"], state.ledger.issuing().get(topup["currency"], 0)
                                 + topup["amount"])
    else:
        state.ledger.move(None, topup["currency"], topup["amount"])
    topup["status"] = "succeeded"
    topup["balance_transaction"] = balance_transaction(state, None, topup["amount"], topup["currency"],
                                                       "topup", topup["id"])
    after = render(state, topup)
    state.events.emit("topup.succeeded", after, previous=previous_attributes(before, after))
    return topup


def fail(state, topup, failure_code):
    if topup["status"] != "pending":
        raise ValueError(f"a {topup['status']} top-up cannot fail")
    before = render(state, topup)
    topup.update({"status": "failed", "failure_code": failure_code,
                  "failure_message": FAILURE_MESSAGES.get(failure_code, FAILURE_MESSAGES["could_not_process"])})
    after = render(state, topup)
    state.events.emit("topup.failed", after, previous=previous_attributes(before, after))
    return topup


ROUTES = [
    Route("POST", "/v1/topups", create_topup, CREATE, "topup"),
    Route("GET", "/v1/topups", list_topups, LIST, "list:topup"),
    Route("GET", "/v1/topups/<id>", retrieve_topup, p.RETRIEVE, "topup"),
    Route("POST", "/v1/topups/<id>", update_topup, UPDATE, "topup"),
    Route("POST", "/v1/topups/<id>/cancel", cancel_topup, p.spec({}), "topup"),
]
