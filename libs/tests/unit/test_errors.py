"""Errors cross RPC boundaries intact: class, field reasons and structured details."""
from nameko.exceptions import deserialize, serialize

from reintegra.contracts.errors import Conflict, RuleViolation, field_reasons


def test_an_error_arrives_at_the_caller_as_the_same_class_with_its_field_reasons():
    sent = RuleViolation("the plan is over the cap", fields={"lines": ["total exceeds EUR 2,000.00"]})
    received = deserialize(serialize(sent))
    assert type(received) is RuleViolation
    assert received.fields == {"lines": ["total exceeds EUR 2,000.00"]}
    assert received.to_dict()["error"]["code"] == "rule_violation"


def test_money_in_the_details_keeps_its_integer_amount_across_the_boundary():
    sent = Conflict("not enough budget", details={"available": {"amount": 50000, "currency": "EUR"}})
    received = deserialize(serialize(sent))
    assert received.details == {"available": {"amount": 50000, "currency": "EUR"}}
    assert received.to_dict()["error"]["available"]["amount"] == 50000


def test_nested_field_errors_are_named_by_their_dotted_path():
    nested = {"consent": [{"date": ["required field"], "scope": [{0: ["unallowed value x"]}]}],
              "given_names": ["empty values not allowed"]}
    assert field_reasons(nested) == {"consent.date": ["required field"],
                                     "consent.scope.0": ["unallowed value x"],
                                     "given_names": ["empty values not allowed"]}
