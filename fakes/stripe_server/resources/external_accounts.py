"""Bank accounts of connected accounts (Connect "external accounts"), given as tokens or details.

Only bank accounts are supported (no debit cards). The full account number is kept private
and decides how payouts to it end (see `banking`).
"""
import re

from .. import banking, errors, ids, params as p
from . import onboarding
from .common import connected_account, merged_metadata, page, require
from .rendering import render
from .routing import Route

DETAILS = {"object": p.one_of("bank_account"), "country": p.country, "currency": p.currency,
           "account_number": p.string, "routing_number": p.string, "account_holder_name": p.string,
           "account_holder_type": p.one_of("individual", "company")}

CREATE = p.spec({"external_account": p.string, "default_for_currency": p.boolean,
                 **{f"external_account.{name}": coerce for name, coerce in DETAILS.items()}},
                required=("external_account",))
UPDATE = p.spec({"default_for_currency": p.boolean, "account_holder_name": p.string,
                 "account_holder_type": p.one_of("individual", "company")})
LIST = p.listing({"object": p.one_of("bank_account", "card")})


def create_external_account(call):
    account = _account(call)
    before = render(call.state, account)
    bank = attach_token(call, account, call.params["external_account"], param="external_account",
                        make_default=call.params.get("default_for_currency", False))
    bank["metadata"] = merged_metadata(bank["metadata"], call.params.get("metadata"))
    onboarding.refresh(call.state, account)
    onboarding.announce_changes(call.state, account, before, (call.request_id, call.idempotency_key))
    return render(call.state, bank)


def list_external_accounts(call):
    account = _account(call)
    wants_cards = call.params.get("object") == "card"
    banks = [] if wants_cards else call.store.select("bank_account", owner=account["id"])
    return page(call, banks, f"/v1/accounts/{account['id']}/external_accounts")


def retrieve_external_account(call):
    account = _account(call)
    return render(call.state, require(call, call.args["id"], "bank_account", "external account",
                                      owner=account["id"]))


def update_external_account(call):
    account = _account(call)
    bank = require(call, call.args["id"], "bank_account", "external account", owner=account["id"])
    before = render(call.state, bank)
    for field in ("account_holder_name", "account_holder_type"):
        if field in call.params:
            bank[field] = call.params[field] or None
    if call.params.get("default_for_currency"):
        _make_default(call, account, bank)
    bank["metadata"] = merged_metadata(bank["metadata"], call.params.get("metadata"))
    after = render(call.state, bank)
    if after != before:
        call.emit("account.external_account.updated", after, account=account["id"],
                  previous={key: before[key] for key in after if before[key] != after[key]})
    return after


def attach_token(call, account, source, *, param, make_default=False, replace_default=False):
    """Attach a bank account given as a token id or a hash of details; the first per currency is default.

    `replace_default` is Stripe's behaviour for `external_account` on account update: the new
    account becomes the default for its currency and the old default is deleted.
    """
    details = _details_from_token(call, source, param) if isinstance(source, str) else \
        bank_details_from_hash(source, param)
    bank = _new_bank_account(call, account, details)
    current_default = _default_for(call, account, bank["currency"])
    call.store.add(bank, owner=account["id"])
    call.store.private(bank["id"]).update(number=details["number"], outcome=details["outcome"])
    if current_default is None or make_default or replace_default:
        _make_default(call, account, bank)
    if replace_default and current_default is not None:
        call.store.remove(current_default["id"])
    call.emit("account.external_account.created", render(call.state, bank), account=account["id"])
    return bank


def _account(call):
    account = connected_account(call.store, call.args["account"])
    if account is None:
        raise errors.resource_missing("account", call.args["account"])
    return account


def _default_for(call, account, currency):
    return next((bank for bank in call.store.select("bank_account", owner=account["id"])
                 if bank["currency"] == currency and bank["default_for_currency"]), None)


def _make_default(call, account, bank):
    for other in call.store.select("bank_account", owner=account["id"]):
        if other["currency"] == bank["currency"]:
            other["default_for_currency"] = other["id"] == bank["id"]


def _details_from_token(call, token_id, param):
    if token_id in banking.TEST_TOKENS:
        return {"country": "US", "currency": "usd", "number": "000123456789", "routing_number": "110000000",
                "holder_name": None, "holder_type": "individual", "outcome": banking.TEST_TOKENS[token_id]}
    token = call.store.get(token_id, "token")
    if token is None or token.get("type") != "bank_account":
        raise errors.resource_missing("token", token_id, param=param, status=400)
    if token["used"]:
        raise errors.invalid_request(f"You cannot use a Stripe token more than once: {token_id}.",
                                     code="token_already_used", param=param)
    token["used"] = True
    return dict(call.store.private(token_id)["details"])


def bank_details_from_hash(given, param):
    """Validate bank details as Stripe does at attach time; also used for /v1/tokens."""
    for field in ("object", "country", "account_number"):
        if not given.get(field):
            raise errors.parameter_missing(f"{param}[{field}]")
    country = given["country"]
    number = banking.normalise_account_number(given["account_number"])
    routing = given.get("routing_number")
    _check_number(country, number, routing, param)
    return {"country": country, "currency": given.get("currency") or banking.default_currency(country),
            "number": number, "routing_number": routing, "holder_name": given.get("account_holder_name"),
            "holder_type": given.get("account_holder_type"), "outcome": banking.payout_outcome(number)}


def _check_number(country, number, routing, param):
    looks_like_iban = bool(re.match(r"[A-Z]{2}\d{2}", number))
    if looks_like_iban or (country in banking.IBAN_COUNTRIES and not routing):
        if not banking.iban_is_valid(number) or number[:2] != country:
            raise errors.invalid_request(
                f"The account number {number} is not a valid IBAN for a bank account in {country}.",
                code="account_number_invalid", param=f"{param}[account_number]")
        return
    if not re.fullmatch(r"\d{4,17}", number):
        raise errors.invalid_request("Invalid account number: must contain only digits, and be at most 17 "
                                     "digits long", code="account_number_invalid",
                                     param=f"{param}[account_number]")
    if country == "US" and not re.fullmatch(r"\d{9}", routing or ""):
        raise errors.invalid_request("Routing number must have 9 digits", code="routing_number_invalid",
                                     param=f"{param}[routing_number]")


def _new_bank_account(call, account, details):
    bank = call.fixtures.template("bank_account")
    bank.update({
        "id": ids.new_id("ba"), "account": account["id"], "account_holder_name": details["holder_name"],
        "account_holder_type": details["holder_type"], "bank_name": "STRIPE TEST BANK",
        "country": details["country"], "currency": details["currency"],
        "fingerprint": banking.fingerprint(details["country"], details["number"]),
        "last4": details["number"][-4:], "metadata": {}, "routing_number": details["routing_number"],
        "status": "new", "default_for_currency": False, "available_payout_methods": ["standard"],
    })
    return bank


BASE = "/v1/accounts/<account>/external_accounts"
ROUTES = [
    Route("POST", BASE, create_external_account, CREATE, "bank_account"),
    Route("GET", BASE, list_external_accounts, LIST, "list:bank_account"),
    Route("GET", f"{BASE}/<id>", retrieve_external_account, p.RETRIEVE, "bank_account"),
    Route("POST", f"{BASE}/<id>", update_external_account, UPDATE, "bank_account"),
]
