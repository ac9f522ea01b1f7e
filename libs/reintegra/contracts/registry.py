"""Validation of events against their contracts, on the way out and on the way in.

Publishers validate strictly (no unknown fields: a typo or a leaked name is caught before it
leaves). Consumers validate leniently (unknown fields allowed) so that adding a field in a
later version never breaks an older consumer.
"""
from __future__ import annotations

from collections import deque

from cerberus import Validator

from reintegra.contracts.envelope import ENVELOPE_SCHEMA
from reintegra.contracts.events import CONTRACTS
from reintegra.contracts.quick_check import compile_schema


class ContractViolation(ValueError):
    """A message does not match its contract; `errors` maps field paths to reasons."""

    def __init__(self, event_type: str, errors: dict):
        self.event_type = event_type
        self.errors = errors
        super().__init__(f"{event_type} breaks its contract: {errors}")


# Building a cerberus Validator checks its schema, which costs more than validating a
# document, so validators are built once per schema and reused. A validator holds the
# document while it works, so each one is lent to one caller at a time: a pool (deque pops
# and appends are atomic) rather than one shared instance, which two threads would trample.
_POOLS: dict[tuple[int, bool], deque] = {}
# Most documents are valid: a check compiled from the schema says so in a few microseconds,
# and cerberus is asked only about the rest (it decides, and names the errors).
# Each entry keeps its schema, so that the id in its key can never be reused by another.
_QUICK: dict[tuple[int, bool], tuple[dict, object]] = {}


def _check(schema: dict, document: dict, event_type: str, allow_unknown: bool) -> None:
    key = (id(schema), allow_unknown)
    try:
        _schema, quick = _QUICK[key]
    except KeyError:
        quick = compile_schema(schema, allow_unknown)
        _QUICK[key] = (schema, quick)
    if quick is not None and quick(document):
        return
    pool = _POOLS.setdefault(key, deque())
    try:
        validator = pool.pop()
    except IndexError:
        validator = Validator(schema, allow_unknown=allow_unknown)
    try:
        # Contracts only validate (no defaults, no coercion), so normalising first would
        # only cost time: it is most of cerberus' work on a small document.
        if not validator.validate(document, normalize=False):
            raise ContractViolation(event_type, validator.errors)
    finally:
        pool.append(validator)


def contract_for(source: str, event_type: str, v: int) -> dict:
    try:
        return CONTRACTS[(source, event_type)][v]
    except KeyError:
        raise ContractViolation(event_type, {"event_type": [f"no contract for {source}/{event_type} v{v}"]})


def validate_outgoing(body: dict) -> None:
    """A whole message someone put together: its envelope, then its data."""
    _check(ENVELOPE_SCHEMA, body, body.get("event_type", "?"), allow_unknown=False)
    validate_outgoing_data(body["source"], body["event_type"], body["v"], body["data"])


def validate_outgoing_data(source: str, event_type: str, v: int, data: dict) -> None:
    """The data a service announces, strictly against its contract. This is the part a
    caller writes (a typo, a leaked name); an envelope made by `new_envelope` is right by
    construction, and consumers check the whole message again on the way in."""
    _check(contract_for(source, event_type, v), data, event_type, allow_unknown=False)


def validate_incoming(body: object, source: str, event_type: str) -> None:
    if not isinstance(body, dict):
        raise ContractViolation(event_type, {"body": ["must be a JSON object"]})
    _check(ENVELOPE_SCHEMA, body, event_type, allow_unknown=True)
    if (body["source"], body["event_type"]) != (source, event_type):
        raise ContractViolation(event_type, {"event_type": [
            f"expected {source}/{event_type}, got {body['source']}/{body['event_type']}"]})
    # A consumer knows the versions up to the one it was built for; a newer version only adds
    # fields, so it is checked against the newest contract this consumer knows.
    versions = CONTRACTS.get((source, event_type), {})
    known = max((v for v in versions if v <= body["v"]), default=None)
    if known is None:
        raise ContractViolation(event_type, {"v": [f"unknown version {body['v']}"]})
    _check(versions[known], body["data"], event_type, allow_unknown=True)
