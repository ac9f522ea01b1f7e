"""Stripe's form encoding: `a[b][0][c]=v` pairs into nested dicts and lists, and back to names.

The SDK sends arrays as indexed keys (`expand[0]=x`); curl users send `expand[]=x`. Both are
accepted. Every leaf stays a string: types are decided per parameter by `params`.
"""
import re

from . import errors

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def parse_pairs(pairs):
    """Nest (name, value) pairs; containers whose keys are all indexes become lists."""
    root = {}
    for name, value in pairs:
        _insert(root, _segments(name), value, name)
    return _listify(root)


def bracket_name(path):
    """('external_account', 'country') -> 'external_account[country]', as Stripe names params."""
    head, *rest = [str(part) for part in path]
    return head + "".join(f"[{part}]" for part in rest)


def _segments(name):
    head, _, tail = name.partition("[")
    if not tail:
        return [head]
    return [head] + _SEGMENT.findall("[" + tail)


def _insert(container, segments, value, name):
    *parents, last = segments
    for segment in parents:
        segment = segment or str(len(container))
        child = container.setdefault(segment, {})
        if not isinstance(child, dict):
            raise errors.invalid_request(f"Invalid hash: {name}", param=name)
        container = child
    if isinstance(container.get(last or str(len(container))), dict):
        raise errors.invalid_request(f"Invalid hash: {name}", param=name)
    container[last or str(len(container))] = value


def _listify(node):
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted
