"""GET /v1/events: the events this server emitted, for reconciliation without webhooks."""
import fnmatch

from .. import params as p
from .common import page, require
from .rendering import render
from .routing import Route

LIST = p.listing({"type": p.string, "types.#": p.string})


def retrieve_event(call):
    return render(call.state, require(call, call.args["id"], "event", "event"))


def list_events(call):
    wanted = call.params
    patterns = wanted.get("types", []) + ([wanted["type"]] if "type" in wanted else [])
    events = call.store.select("event", owner=call.account, where=lambda event: not patterns or any(
        fnmatch.fnmatchcase(event["type"], pattern) for pattern in patterns))
    return page(call, events, "/v1/events")


ROUTES = [
    Route("GET", "/v1/events", list_events, LIST, "list:event"),
    Route("GET", "/v1/events/<id>", retrieve_event, p.RETRIEVE, "event"),
]
