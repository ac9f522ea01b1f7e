"""Connect accounts: create, read, update. Requirements and capabilities live in `onboarding`."""
from .. import banking, errors, ids, params as p
from ..state import now
from . import onboarding
from .common import connected_account, merged_metadata, page
from .external_accounts import DETAILS, attach_token
from .rendering import render, renders, sublist
from .routing import Route

ADDRESS = {"line1": p.string, "line2": p.string, "city": p.string, "postal_code": p.string,
           "state": p.string, "country": p.country}


def _prefixed(prefix, fields):
    return {f"{prefix}.{name}": coerce for name, coerce in fields.items()}


PERSON = {"first_name": p.string, "last_name": p.string, "email": p.string, "phone": p.string,
          "dob.day": p.integer, "dob.month": p.integer, "dob.year": p.integer, "id_number": p.string,
          **_prefixed("address", ADDRESS)}

ACCOUNT_FIELDS = {
    "email": p.string,
    "business_type": p.one_of("individual", "company", "non_profit", "government_entity"),
    "capabilities.*.requested": p.boolean,
    **_prefixed("individual", PERSON),
    "company.name": p.string, "company.tax_id": p.string, "company.phone": p.string,
    **_prefixed("company.address", ADDRESS),
    "tos_acceptance.date": p.integer, "tos_acceptance.ip": p.string, "tos_acceptance.user_agent": p.string,
    "tos_acceptance.service_agreement": p.one_of("full", "recipient"),
    **_prefixed("business_profile", {name: p.string for name in (
        "mcc", "name", "url", "product_description", "support_email", "support_phone")}),
    "settings.payouts.schedule.interval": p.one_of("manual", "daily", "weekly", "monthly"),
    "settings.payouts.schedule.delay_days": lambda value, name: (
        value if value == "minimum" else p.non_negative_integer(value, name)),
    "settings.payouts.statement_descriptor": p.string,
    "default_currency": p.currency,
    "external_account": p.string,
    **_prefixed("external_account", DETAILS),
}

CREATE = p.spec({**ACCOUNT_FIELDS, "type": p.one_of("custom", "express", "standard"), "country": p.country,
                 "controller.fees.payer": p.string, "controller.losses.payments": p.string,
                 "controller.requirement_collection": p.string, "controller.stripe_dashboard.type": p.string})
UPDATE = p.spec(ACCOUNT_FIELDS)


def create_account(call):
    wanted = call.params
    if "type" not in wanted and "controller" not in wanted:
        raise errors.parameter_missing("type")
    _check_capability_request(wanted)
    account = call.store.add(_new_account(call, wanted))
    _apply(call, account, wanted)
    if "external_account" in wanted:
        attach_token(call, account, wanted["external_account"], param="external_account")
    onboarding.refresh(call.state, account)
    return render(call.state, account)


def retrieve_account(call):
    return render(call.state, _connected(call, call.args["account"]))


def retrieve_current_account(call):
    if call.account:
        return render(call.state, _connected(call, call.account))
    return _platform_account(call)


def list_accounts(call):
    return page(call, call.store.select("account", owner=None), "/v1/accounts")


def update_account(call):
    account = _connected(call, call.args["account"])
    _check_capability_request(call.params, account)
    before = render(call.state, account)
    _apply(call, account, call.params)
    if "external_account" in call.params:
        attach_token(call, account, call.params["external_account"], param="external_account",
                     replace_default=True)
    onboarding.refresh(call.state, account)
    return onboarding.announce_changes(call.state, account, before, (call.request_id, call.idempotency_key))


@renders("account")
def _render_account(state, account):
    banks = state.store.select("bank_account", owner=account["id"])
    account["external_accounts"] = sublist(state, banks, f"/v1/accounts/{account['id']}/external_accounts")
    return account


def _connected(call, account_id):
    account = connected_account(call.store, account_id)
    if account is None:
        raise errors.resource_missing("account", account_id)
    return account


def _check_capability_request(wanted, account=None):
    requested = {name for name, ask in wanted.get("capabilities", {}).items() if ask.get("requested")}
    if account:
        requested |= set(account["capabilities"])
    agreement = wanted.get("tos_acceptance", {}).get("service_agreement") or (
        account and account["tos_acceptance"].get("service_agreement"))
    if "card_payments" in requested and "transfers" not in requested:
        raise errors.invalid_request("In order to request the card_payments capability, you must also "
                                     "request the transfers capability.", param="capabilities")
    if "card_payments" in requested and agreement == "recipient":
        raise errors.invalid_request("Accounts under the recipient service agreement cannot request the "
                                     "card_payments capability.", param="capabilities[card_payments]")


def _new_account(call, wanted):
    account = call.fixtures.template("account")
    country = wanted.get("country", call.state.config.platform_country)
    account.update({
        "id": ids.new_id("acct"), "created": now(), "type": wanted.get("type", "none"),
        "country": country, "email": None, "business_type": None, "metadata": {},
        "default_currency": banking.default_currency(country), "capabilities": {},
        "controller": {"is_controller": True, "type": "application"},
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None, "service_agreement": "full"},
    })
    account["business_profile"].update({"mcc": None, "name": None, "url": None})
    account["settings"]["payouts"]["schedule"] = {"delay_days": 2, "interval": "daily"}
    return account


def _apply(call, account, wanted):
    for field in ("email", "business_type", "default_currency"):
        if field in wanted:
            account[field] = wanted[field] or None
    for name, ask in wanted.get("capabilities", {}).items():
        if ask.get("requested") and name not in account["capabilities"]:
            account["capabilities"][name] = "inactive"
    if "individual" in wanted:
        account["individual"] = account.get("individual") or onboarding.new_person(call.state, account["id"])
        _deep_update(account["individual"], wanted["individual"])
    if "company" in wanted:
        account["company"] = _updated_company(account.get("company"), dict(wanted["company"]))
    _deep_update(account["tos_acceptance"], wanted.get("tos_acceptance", {}))
    _deep_update(account["business_profile"], wanted.get("business_profile", {}))
    _deep_update(account["settings"], wanted.get("settings", {}))
    account["metadata"] = merged_metadata(account["metadata"], wanted.get("metadata"))


def _updated_company(company, changes):
    company = company or {"name": None, "phone": None, "tax_id_provided": False,
                          "address": dict.fromkeys(ADDRESS)}
    tax_id = changes.pop("tax_id", None)
    _deep_update(company, changes)
    company["tax_id_provided"] = company["tax_id_provided"] or bool(tax_id)
    return company


def _deep_update(target, changes):
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        elif key == "id_number":
            target["id_number_provided"] = bool(value)
        else:
            target[key] = value if value != "" else None


def _platform_account(call):
    account = call.fixtures.template("account")
    account.update({"id": call.state.platform_account_id, "country": call.state.config.platform_country,
                    "type": "standard", "charges_enabled": True, "payouts_enabled": True,
                    "details_submitted": True, "default_currency": "eur"})
    account["requirements"].update({"currently_due": [], "eventually_due": [], "disabled_reason": None})
    account["external_accounts"]["url"] = f"/v1/accounts/{account['id']}/external_accounts"
    return account


ROUTES = [
    Route("POST", "/v1/accounts", create_account, CREATE, "account"),
    Route("GET", "/v1/accounts", list_accounts, p.listing(), "list:account"),
    Route("GET", "/v1/account", retrieve_current_account, p.RETRIEVE, "account"),
    Route("GET", "/v1/accounts/<account>", retrieve_account, p.RETRIEVE, "account"),
    Route("POST", "/v1/accounts/<account>", update_account, UPDATE, "account"),
]
