"""Stripe Issuing: cardholders and their (virtual or physical) cards with spending controls.

Cards are issued in the platform's Issuing currencies (the currencies of its Issuing balance)
and start `inactive` unless asked otherwise. A canceled card is final. Authorizations and
card transactions are not simulated.
"""
import datetime

from .. import errors, ids, params as p
from ..state import now
from .common import merged_metadata, page, previous_attributes, require
from .rendering import render, renders
from .routing import Route

INTERVALS = ("per_authorization", "daily", "weekly", "monthly", "yearly", "all_time")
ADDRESS = {f"address.{name}": coerce for name, coerce in {
    "line1": p.string, "line2": p.string, "city": p.string, "postal_code": p.string, "state": p.string,
    "country": p.country}.items()}


def _prefixed(prefix, fields):
    return {f"{prefix}.{name}": coerce for name, coerce in fields.items()}


SPENDING_CONTROLS = {
    "spending_limits.#.amount": p.non_negative_integer,
    "spending_limits.#.interval": p.one_of(*INTERVALS),
    "spending_limits.#.categories.#": p.string,
    "allowed_categories.#": p.string, "blocked_categories.#": p.string,
    "allowed_merchant_countries.#": p.country, "blocked_merchant_countries.#": p.country,
}

CARDHOLDER_FIELDS = {
    "name": p.string, "email": p.string, "phone_number": p.string, "status": p.one_of("active", "inactive"),
    **_prefixed("billing", ADDRESS),
    "individual.first_name": p.string, "individual.last_name": p.string,
    "individual.dob.day": p.integer, "individual.dob.month": p.integer, "individual.dob.year": p.integer,
    "individual.card_issuing.user_terms_acceptance.date": p.integer,
    "individual.card_issuing.user_terms_acceptance.ip": p.string,
    "individual.card_issuing.user_terms_acceptance.user_agent": p.string,
    "company.tax_id": p.string,
    "preferred_locales.#": p.one_of("de", "en", "es", "fr", "it"),
    **_prefixed("spending_controls", {**SPENDING_CONTROLS, "spending_limits_currency": p.currency}),
}
CARDHOLDER_CREATE = p.spec({**CARDHOLDER_FIELDS, "type": p.one_of("individual", "company")},
                           required=("name", "billing.address.line1", "billing.address.city",
                                     "billing.address.postal_code", "billing.address.country"))
CARDHOLDER_UPDATE = p.spec(CARDHOLDER_FIELDS)
CARDHOLDER_LIST = p.listing({"email": p.string, "status": p.one_of("active", "inactive", "blocked"),
                             "type": p.one_of("individual", "company")})

CARD_CONTROLS = _prefixed("spending_controls", SPENDING_CONTROLS)
SHIPPING = {"shipping.name": p.string, "shipping.service": p.one_of("express", "priority", "standard"),
            "shipping.type": p.one_of("bulk", "individual"), **_prefixed("shipping", ADDRESS)}
CARD_CREATE = p.spec({"cardholder": p.string, "currency": p.currency, "type": p.one_of("physical", "virtual"),
                      "status": p.one_of("active", "inactive"), "replacement_for": p.string,
                      "replacement_reason": p.one_of("damaged", "expired", "lost", "stolen"),
                      "second_line": p.string, **CARD_CONTROLS, **SHIPPING},
                     required=("cardholder", "currency", "type"))
CARD_UPDATE = p.spec({"status": p.one_of("active", "inactive", "canceled"),
                      "cancellation_reason": p.one_of("lost", "stolen"), **CARD_CONTROLS})
CARD_LIST = p.listing({"cardholder": p.string, "status": p.one_of("active", "inactive", "canceled"),
                       "type": p.one_of("physical", "virtual")})


def create_cardholder(call):
    wanted = call.params
    holder = call.fixtures.template("issuing.cardholder")
    holder.update({"id": ids.new_id("ich"), "created": now(), "livemode": False, "name": wanted["name"],
                   "email": wanted.get("email"), "phone_number": wanted.get("phone_number"),
                   "type": wanted.get("type", "individual"), "status": wanted.get("status", "active"),
                   "billing": {"address": {"line2": None, "state": None, **wanted["billing"]["address"]}},
                   "preferred_locales": wanted.get("preferred_locales", []), "metadata": {}})
    holder["individual"] = None
    holder["company"] = None
    _apply_cardholder(holder, wanted)
    call.store.add(holder)
    snapshot = render(call.state, holder)
    call.emit("issuing_cardholder.created", snapshot)
    return snapshot


def retrieve_cardholder(call):
    return render(call.state, require(call, call.args["id"], "issuing.cardholder", "cardholder",
                                      owner=None))


def list_cardholders(call):
    return page(call, _filtered(call, "issuing.cardholder", ("email", "status", "type")),
                "/v1/issuing/cardholders")


def update_cardholder(call):
    holder = require(call, call.args["id"], "issuing.cardholder", "cardholder", owner=None)
    before = render(call.state, holder)
    for field in ("name", "email", "phone_number", "status", "preferred_locales"):
        if field in call.params:
            holder[field] = call.params[field] or None
    if "billing" in call.params:
        holder["billing"]["address"].update(call.params["billing"]["address"])
    _apply_cardholder(holder, call.params)
    return _announce_update(call, "issuing_cardholder.updated", holder, before)


def create_card(call):
    wanted = call.params
    holder = require(call, wanted["cardholder"], "issuing.cardholder", "cardholder",
                     owner=None, param="cardholder", status=400)
    _check_issuing_currency(call, wanted["currency"])
    if wanted["type"] == "physical" and "shipping" not in wanted:
        raise errors.parameter_missing("shipping")
    card = call.store.add(_new_card(call, holder, wanted))
    snapshot = render(call.state, card)
    call.emit("issuing_card.created", snapshot)
    return snapshot


def retrieve_card(call):
    return render(call.state, require(call, call.args["id"], "issuing.card", "card", owner=None))


def list_cards(call):
    return page(call, _filtered(call, "issuing.card", ("cardholder", "status", "type")), "/v1/issuing/cards")


def update_card(call):
    card = require(call, call.args["id"], "issuing.card", "card", owner=None)
    wanted = call.params
    _check_card_change(card, wanted)
    before = render(call.state, card)
    if "status" in wanted:
        canceled = wanted["status"] == "canceled"
        card["status"] = wanted["status"]
        card["cancellation_reason"] = wanted.get("cancellation_reason") if canceled else None
    if "spending_controls" in wanted:
        card["spending_controls"] = _card_controls(wanted["spending_controls"], card["currency"])
    card["metadata"] = merged_metadata(card["metadata"], wanted.get("metadata"))
    return _announce_update(call, "issuing_card.updated", card, before)


@renders("issuing.card")
def _render_card(state, card):
    card["cardholder"] = render(state, state.store.find(card["cardholder"]))
    return card


def _filtered(call, object_type, fields):
    wanted = call.params
    return call.store.select(object_type, owner=None, where=lambda obj: all(
        _field_id(obj[field]) == wanted[field] for field in fields if field in wanted))


def _field_id(value):
    return value["id"] if isinstance(value, dict) else value


def _announce_update(call, event_type, obj, before):
    after = render(call.state, obj)
    changed = previous_attributes(before, after)
    if changed:
        call.emit(event_type, after, previous=changed)
    return after


def _apply_cardholder(holder, wanted):
    if "individual" in wanted:
        individual = holder["individual"] or {"first_name": None, "last_name": None,
                                              "dob": {"day": None, "month": None, "year": None},
                                              "card_issuing": None,
                                              "verification": {"document": {"back": None, "front": None}}}
        given = wanted["individual"]
        individual.update({key: given[key] for key in ("first_name", "last_name") if key in given})
        individual["dob"].update(given.get("dob", {}))
        if "card_issuing" in given:
            individual["card_issuing"] = given["card_issuing"]
        holder["individual"] = individual
    if "company" in wanted:
        holder["company"] = {"tax_id_provided": bool(wanted["company"].get("tax_id"))}
    if "spending_controls" in wanted:
        holder["spending_controls"] = _cardholder_controls(wanted["spending_controls"])
    holder["metadata"] = merged_metadata(holder["metadata"], wanted.get("metadata"))
    holder["requirements"] = _cardholder_requirements(holder)


def _cardholder_requirements(holder):
    """Individuals need their first and last name before cards can be used (as in the EU)."""
    missing = []
    if holder["type"] == "individual":
        names = holder["individual"] or {}
        missing = [f"individual.{name}" for name in ("first_name", "last_name") if not names.get(name)]
    return {"disabled_reason": "requirements.past_due" if missing else None, "past_due": missing}


def _cardholder_controls(given):
    controls = {"allowed_categories": [], "allowed_merchant_countries": [], "blocked_categories": [],
                "blocked_merchant_countries": [], "spending_limits": [], "spending_limits_currency": None,
                "allowed_card_presences": None, "blocked_card_presences": None}
    controls.update({key: value for key, value in given.items() if key != "spending_limits"})
    controls["spending_limits"] = _limits(given.get("spending_limits", []), "spending_controls")
    return controls


def _card_controls(given, currency):
    limits = _limits(given.get("spending_limits", []), "spending_controls")
    return {"allowed_categories": given.get("allowed_categories"),
            "allowed_merchant_countries": given.get("allowed_merchant_countries"),
            "blocked_categories": given.get("blocked_categories"),
            "blocked_merchant_countries": given.get("blocked_merchant_countries"),
            "spending_limits": limits, "spending_limits_currency": currency if limits else None,
            "allowed_card_presences": None, "blocked_card_presences": None}


def _limits(given, prefix):
    limits = []
    for index, limit in enumerate(given):
        for field in ("amount", "interval"):
            if field not in limit:
                raise errors.parameter_missing(f"{prefix}[spending_limits][{index}][{field}]")
        limits.append({"amount": limit["amount"], "categories": limit.get("categories"),
                       "interval": limit["interval"]})
    return limits


def _check_issuing_currency(call, currency):
    issued_in = sorted(call.state.config.issuing_balance)
    if currency not in issued_in:
        raise errors.invalid_request(f"Cards can only be issued in {', '.join(issued_in)} on this account.",
                                     param="currency")


def _check_card_change(card, wanted):
    if card["status"] == "canceled":
        raise errors.invalid_request("This card has been canceled and can no longer be updated.",
                                     param="status" if "status" in wanted else None)
    if "cancellation_reason" in wanted and wanted.get("status") != "canceled":
        raise errors.invalid_request("cancellation_reason can only be set when status is canceled.",
                                     param="cancellation_reason")


def _new_card(call, holder, wanted):
    card = call.fixtures.template("issuing.card")
    expires = datetime.date.today().year + 3
    card.update({
        "id": ids.new_id("ic"), "brand": "Visa", "cancellation_reason": None, "cardholder": holder["id"],
        "created": now(), "currency": wanted["currency"], "exp_month": datetime.date.today().month,
        "exp_year": expires, "last4": ids.random_digits(4), "livemode": False,
        "metadata": merged_metadata({}, wanted.get("metadata")),
        "replacement_for": wanted.get("replacement_for"),
        "replacement_reason": wanted.get("replacement_reason"),
        "second_line": wanted.get("second_line"), "shipping": _shipping(wanted),
        "spending_controls": _card_controls(wanted.get("spending_controls", {}), wanted["currency"]),
        "status": wanted.get("status", "inactive"), "type": wanted["type"], "lifecycle_controls": None,
        "latest_fraud_warning": None,
    })
    return card


def _shipping(wanted):
    if "shipping" not in wanted:
        return None
    given = wanted["shipping"]
    return {"address": {**dict.fromkeys(("line1", "line2", "city", "postal_code", "state", "country")),
                        **given.get("address", {})},
            "name": given.get("name"), "service": given.get("service", "standard"),
            "type": given.get("type", "individual"), "status": "pending", "carrier": None, "eta": None,
            "tracking_number": None, "tracking_url": None}


ROUTES = [
    Route("POST", "/v1/issuing/cardholders", create_cardholder, CARDHOLDER_CREATE, "issuing.cardholder"),
    Route("GET", "/v1/issuing/cardholders", list_cardholders, CARDHOLDER_LIST,
          "list:issuing.cardholder"),
    Route("GET", "/v1/issuing/cardholders/<id>", retrieve_cardholder, p.RETRIEVE, "issuing.cardholder"),
    Route("POST", "/v1/issuing/cardholders/<id>", update_cardholder, CARDHOLDER_UPDATE,
          "issuing.cardholder"),
    Route("POST", "/v1/issuing/cards", create_card, CARD_CREATE, "issuing.card"),
    Route("GET", "/v1/issuing/cards", list_cards, CARD_LIST, "list:issuing.card"),
    Route("GET", "/v1/issuing/cards/<id>", retrieve_card, p.RETRIEVE, "issuing.card"),
    Route("POST", "/v1/issuing/cards/<id>", update_card, CARD_UPDATE, "issuing.card"),
]
