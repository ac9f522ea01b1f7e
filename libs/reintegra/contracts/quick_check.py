"""A quick first look at a document, compiled from its cerberus schema.

Cerberus is the judge of every message, but it is slow for what our contracts ask (a few
types, lengths and patterns): about 100 µs per small event, which a payout batch pays four
times per payout. This module compiles a schema into a plain function that answers one
question fast: "is this document certainly valid?".

It is deliberately one-sided. `True` means cerberus would accept the document: every rule
it understands is checked at least as strictly as cerberus does (booleans are not integers
here, an empty string never passes a pattern, `None` passes only plain nullable fields).
`False` means "ask cerberus", which then decides and names the errors, so the verdict and
its messages are always cerberus'. A schema using a rule not listed in `_RULES` compiles to
`None`: that schema always goes to cerberus. `libs/tests/unit/test_quick_check.py` holds
the two to each other for every contract.
"""
from __future__ import annotations

import re
from typing import Callable

Check = Callable[[object], bool]

_TYPES: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "dict": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}
_RULES = {"type", "required", "nullable", "empty", "minlength", "maxlength", "regex",
          "min", "max", "allowed", "schema"}


class _Unsupported(Exception):
    """The schema uses something this module does not check: leave it to cerberus."""


def compile_schema(schema: dict, allow_unknown: bool) -> Check | None:
    """A function telling whether a document is certainly valid, or None if it can't."""
    try:
        return _mapping(schema, allow_unknown)
    except _Unsupported:
        return None


def _mapping(schema: dict, allow_unknown: bool) -> Check:
    fields = [(name, _field(rules, allow_unknown), bool(rules.get("required")))
              for name, rules in schema.items()]
    known = frozenset(schema)

    def check(document) -> bool:
        if type(document) is not dict:
            return False
        if not allow_unknown and not known.issuperset(document):
            return False
        for name, field_check, required in fields:
            if name in document:
                if not field_check(document[name]):
                    return False
            elif required:
                return False
        return True
    return check


def _field(rules: dict, allow_unknown: bool) -> Check:
    if not isinstance(rules, dict) or not _RULES.issuperset(rules):
        raise _Unsupported(rules)
    checks: list[Check] = []
    declared = rules.get("type")
    if declared is not None:
        names = declared if isinstance(declared, list) else [declared]
        if not all(name in _TYPES for name in names):
            raise _Unsupported(declared)
        tests = [_TYPES[name] for name in names]
        checks.append(lambda v: any(test(v) for test in tests))
    if rules.get("empty") is False or "minlength" in rules or "maxlength" in rules:
        checks.append(_length(max(rules.get("minlength", 0),
                                  1 if rules.get("empty") is False else 0),
                              rules.get("maxlength")))
    if "regex" in rules:
        pattern = rules["regex"]
        # Exactly cerberus' reading of a pattern: anchored with `$` and matched from the start.
        matcher = re.compile(pattern if pattern.endswith("$") else pattern + "$").match
        checks.append(lambda v: isinstance(v, str) and v != "" and matcher(v) is not None)
    if "min" in rules or "max" in rules:
        checks.append(_bounds(rules.get("min"), rules.get("max")))
    if "allowed" in rules:
        allowed = list(rules["allowed"])
        checks.append(lambda v: isinstance(v, (str, int)) and v in allowed)
    if "schema" in rules:
        checks.append(_nested(rules, allow_unknown))
    nullable = bool(rules.get("nullable"))

    def check(value) -> bool:
        if value is None:
            return nullable
        for test in checks:
            if not test(value):
                return False
        return True
    return check


def _length(low: int, high: int | None) -> Check:
    return lambda v: (hasattr(v, "__len__") and len(v) >= low
                      and (high is None or len(v) <= high))


def _bounds(low, high) -> Check:
    return lambda v: (isinstance(v, (int, float)) and not isinstance(v, bool)
                      and (low is None or v >= low) and (high is None or v <= high))


def _nested(rules: dict, allow_unknown: bool) -> Check:
    """`schema` means a mapping's fields for a dict, and every item's rules for a list."""
    inner = rules["schema"]
    if rules.get("type") == "dict":
        return _mapping(inner, allow_unknown)
    if rules.get("type") == "list":
        item = _field(inner, allow_unknown)
        return lambda v: isinstance(v, list) and all(item(x) for x in v)
    raise _Unsupported(rules)
