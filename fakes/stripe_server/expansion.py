"""`expand[]`: replace id strings in a response by the objects they name.

Paths are dotted (`destination`, `data.destination` on lists, `cardholder.x` deeper). Like
Stripe, a path is checked before the operation runs, against the shape of the object the
operation returns (Stripe's example object). An id of an object this server does not keep
(a `py_` destination payment) stays a string.
"""
from . import errors
from .resources.rendering import render


def check_expandable(fixtures, returns, paths):
    """Refuse a path whose first field the returned object does not have."""
    object_type = returns.removeprefix("list:")
    shape = fixtures.template(object_type)
    for path in paths:
        parts = path.split(".")
        if returns.startswith("list:"):
            parts = parts[1:] if parts[0] == "data" else []
        if not parts or parts[0] not in shape:
            raise errors.invalid_request(f"This property cannot be expanded ({path}).", param="expand")


def expand(state, body, paths):
    for path in paths:
        _expand(state, body, path.split("."))
    return body


def _expand(state, node, parts):
    if not parts or not isinstance(node, dict):
        return
    if node.get("object") == "list" and parts[0] == "data":
        for item in node["data"]:
            _expand(state, item, parts[1:])
        return
    field, rest = parts[0], parts[1:]
    value = node.get(field)
    if isinstance(value, str) and state.store.find(value) is not None:
        node[field] = value = render(state, state.store.find(value))
    _expand(state, value, rest)
