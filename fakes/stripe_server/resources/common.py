"""Small rules shared by the resource handlers."""
from .. import errors, ids
from ..state import now
from .rendering import render


def require(call, object_id, object_type, noun, *, owner="caller", param="id", status=404):
    """The object, visible to the caller's account (or `owner`), or Stripe's resource_missing."""
    scope = call.account if owner == "caller" else owner
    found = call.store.get(object_id, object_type, scope)
    if found is None:
        raise errors.resource_missing(noun, object_id, param=param, status=status)
    return found


def connected_account(store, account_id):
    """A connected account of the platform, or None."""
    return store.get(account_id, "account", owner=None)


def merged_metadata(current, update):
    """Stripe's metadata update: "" clears all, a key set to "" is removed, others are upserted."""
    if update is None:
        return current
    if update == "":
        return {}
    pairs = dict(enumerate(update)) if isinstance(update, list) else update
    merged = dict(current)
    for key, value in pairs.items():
        if value == "":
            merged.pop(str(key), None)
        else:
            merged[str(key)] = value
    if len(merged) > 50:
        raise errors.invalid_request("You can have up to 50 metadata keys, but you passed in "
                                     f"{len(merged)} keys.", param="metadata")
    return merged


def previous_attributes(before, after):
    """Top-level fields that changed, with their old values, as in *.updated events."""
    return {key: before.get(key) for key in after if before.get(key) != after.get(key)}


def page(call, objects, url):
    """One page of a list endpoint with limit / starting_after / ending_before, newest first."""
    limit = call.params.get("limit", 10)
    known = [obj["id"] for obj in objects]
    if call.params.get("starting_after"):
        objects = objects[_position(known, call.params["starting_after"], "starting_after") + 1:]
        window, has_more = objects[:limit], len(objects) > limit
    elif call.params.get("ending_before"):
        objects = objects[:_position(known, call.params["ending_before"], "ending_before")]
        window, has_more = objects[-limit:], len(objects) > limit
    else:
        window, has_more = objects[:limit], len(objects) > limit
    return {"object": "list", "data": [render(call.state, obj) for obj in window],
            "has_more": has_more, "url": url}


def _position(known, cursor, param):
    if cursor not in known:
        raise errors.resource_missing("object", cursor, param=param, status=400)
    return known.index(cursor)


def balance_transaction(state, owner, amount, currency, kind, source, description=None):
    """Record a movement of money the way Stripe's balance history does, and return its id."""
    entry = state.fixtures.template("balance_transaction")
    created = now()
    entry.update({"id": ids.new_id("txn"), "amount": amount, "available_on": created, "created": created,
                  "currency": currency, "description": description, "exchange_rate": None, "fee": 0,
                  "fee_details": [], "net": amount, "reporting_category": kind, "source": source,
                  "status": "available", "type": kind})
    state.store.add(entry, owner=owner)
    return entry["id"]
