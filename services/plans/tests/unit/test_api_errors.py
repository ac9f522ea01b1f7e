"""The domain's refusals cross the RPC boundary as the API's errors, naming what broke."""
from reintegra.contracts.errors import Conflict, Forbidden, RuleViolation

from plans.domain.errors import IllegalTransition
from plans.domain.four_eyes import FourEyesViolation
from plans.domain.plan_lines import CapExceeded, Category, JustificationRequired
from plans.entrypoints.errors import as_api_error


def test_over_the_cap_is_a_rule_violation_carrying_the_cap_and_the_excess(eur):
    error = as_api_error(CapExceeded(eur(200_000), eur(200_001)))
    assert isinstance(error, RuleViolation)
    assert (error.details["cap"], error.details["excess"]) == (
        {"amount": 200_000, "currency": "EUR"}, {"amount": 1, "currency": "EUR"})


def test_a_missing_justification_names_the_line_it_is_missing_from():
    error = as_api_error(JustificationRequired(2, Category.HOUSING))
    assert isinstance(error, RuleViolation) and list(error.fields) == ["lines[2].justification"]


def test_four_eyes_is_forbidden_and_a_wrong_state_is_a_conflict():
    assert isinstance(as_api_error(FourEyesViolation("sofia drafted it")), Forbidden)
    assert isinstance(as_api_error(IllegalTransition("version 1", "draft", "approve")), Conflict)
