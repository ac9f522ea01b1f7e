"""The quick check never accepts what cerberus refuses, and accepts what our services send.

For every contract (and the envelope), strictly and leniently: documents drawn from the
schema itself, then broken one field at a time in the ways a bug would break them.
"""
import pytest
from cerberus import Validator
from hypothesis import HealthCheck, given, settings, strategies as st

from reintegra.contracts.envelope import ENVELOPE_SCHEMA
from reintegra.contracts.events import CONTRACTS
from reintegra.contracts.quick_check import compile_schema

SCHEMAS = [("envelope", ENVELOPE_SCHEMA)] + [
    (f"{source}/{event_type} v{v}", schema)
    for (source, event_type), versions in sorted(CONTRACTS.items())
    for v, schema in versions.items()]
ODD_VALUES = [None, "", " ", "x" * 65, "2026-13-45", "2026-01-01\n", "ab", "GNF", 0, -1, 1,
              True, False, 1.5, [], [""], {}, {"amount": 1}, "none", "c-1"]


def value_for(rules: dict) -> st.SearchStrategy:
    kind = rules.get("type")
    if "allowed" in rules:
        values = st.sampled_from(list(rules["allowed"]))
    elif kind == "dict":
        values = document_for(rules.get("schema", {})) if "schema" in rules else st.just({})
    elif kind == "list":
        values = st.lists(value_for(rules.get("schema", {"type": "string"})),
                          min_size=rules.get("minlength", 0), max_size=5)
    elif kind == "integer":
        values = st.integers(rules.get("min", -10**6), rules.get("max", 10**9))
    elif kind == "boolean":
        values = st.booleans()
    elif "regex" in rules:
        values = st.from_regex(rules["regex"], fullmatch=True)
    else:
        values = st.text(min_size=1 if rules.get("empty") is False else 0, max_size=20)
    if "maxlength" in rules and kind in ("string", None):
        values = values.filter(lambda v: len(v) <= rules["maxlength"])
    if rules.get("nullable"):
        values = st.one_of(st.none(), values)
    return values


def document_for(schema: dict) -> st.SearchStrategy:
    required = {name: value_for(rules) for name, rules in schema.items() if rules.get("required")}
    optional = {name: value_for(rules) for name, rules in schema.items()
                if not rules.get("required")}
    return st.fixed_dictionaries(required, optional=optional)


def broken(document: dict, draw) -> dict:
    """One field replaced by an odd value, removed, or an unknown field added (any depth)."""
    copy = dict(document)
    choice = draw(st.sampled_from(["replace", "remove", "add", "nested"]))
    if choice == "add" or not copy:
        copy[draw(st.sampled_from(["name", "x", "amount"]))] = draw(st.sampled_from(ODD_VALUES))
    elif choice == "remove":
        del copy[draw(st.sampled_from(sorted(copy)))]
    else:
        field = draw(st.sampled_from(sorted(copy)))
        if choice == "nested" and isinstance(copy[field], dict):
            copy[field] = broken(copy[field], draw)
        else:
            copy[field] = draw(st.sampled_from(ODD_VALUES))
    return copy


@pytest.mark.parametrize("allow_unknown", [False, True], ids=["outgoing", "incoming"])
@pytest.mark.parametrize("name,schema", SCHEMAS, ids=[name for name, _ in SCHEMAS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_quick_check_agrees_with_cerberus(name, schema, allow_unknown, data):
    quick = compile_schema(schema, allow_unknown)
    assert quick is not None, f"{name} uses a rule the quick check does not know"
    judge = Validator(schema, allow_unknown=allow_unknown)
    document = data.draw(document_for(schema))
    assert judge.validate(document, normalize=False), judge.errors
    assert quick(document), "a valid document must take the quick path"
    for _ in range(3):
        odd = broken(document, data.draw)
        if quick(odd):
            assert judge.validate(odd, normalize=False), (odd, judge.errors)


def test_a_schema_with_a_rule_it_does_not_know_is_left_to_cerberus():
    assert compile_schema({"when": {"type": "datetime"}}, allow_unknown=False) is None
    assert compile_schema({"name": {"type": "string", "coerce": str}}, allow_unknown=False) is None


@pytest.mark.parametrize("value", [True, "", 1.0, 5])
def test_what_cerberus_might_accept_is_still_sent_to_cerberus(value):
    # Booleans as integers, empty strings past a pattern, patterns on numbers: cerberus has
    # its own views on these, so the quick check says "not sure" and lets it decide.
    schema = {"day": {"type": ["string", "integer"], "regex": r"^\d{4}-\d{2}-\d{2}$", "min": 0}}
    assert not compile_schema(schema, allow_unknown=False)({"day": value})
