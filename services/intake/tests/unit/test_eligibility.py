from datetime import date

import pytest

from intake.domain.eligibility import (DEFAULT_RULES, EU_MEMBER_STATES, evaluate,
                                       expand_nationalities, rule_errors)
from intake.domain.errors import InvalidEligibilityRules
from intake.domain.vulnerability import VulnerabilityFactor as F

TODAY = date(2024, 6, 15)


def test_the_eu_has_27_member_states_in_iso_alpha_2():
    assert len(EU_MEMBER_STATES) == 27
    assert {"PT", "GR", "HR"} <= EU_MEMBER_STATES
    assert not {"EL", "GB", "CH", "NO"} & EU_MEMBER_STATES


def test_by_default_only_non_eu_nationals_are_eligible():
    assert DEFAULT_RULES == {"excluded_nationalities": "EU"}


def test_a_brazilian_is_eligible_under_the_default_rules(make_person):
    decision = evaluate(None, make_person(nationality="BR"), TODAY)
    assert decision.eligible
    assert decision.reasons == []


def test_an_eu_national_is_not_eligible_under_the_default_rules(make_person):
    decision = evaluate(None, make_person(nationality="PT"), TODAY)
    assert not decision.eligible
    assert decision.reasons == [
        "nationality PT is excluded by the programme (EU member state)"]


def test_empty_rules_exclude_nobody(make_person):
    assert evaluate({}, make_person(nationality="PT"), TODAY).eligible


def test_the_eu_shorthand_can_be_combined_with_other_countries(make_person):
    rules = {"excluded_nationalities": ["EU", "CH", "NO"]}
    assert not evaluate(rules, make_person(nationality="CH"), TODAY).eligible
    assert not evaluate(rules, make_person(nationality="DE"), TODAY).eligible
    assert evaluate(rules, make_person(nationality="UA"), TODAY).eligible


def test_expanding_nationalities_replaces_the_eu_shorthand():
    assert expand_nationalities(["EU", "CH"]) == EU_MEMBER_STATES | {"CH"}
    assert expand_nationalities("EU") == EU_MEMBER_STATES


def test_an_allowed_nationalities_list_admits_only_those(make_person):
    rules = {"allowed_nationalities": ["BR", "CV"]}
    assert evaluate(rules, make_person(nationality="CV"), TODAY).eligible
    decision = evaluate(rules, make_person(nationality="AO"), TODAY)
    assert decision.reasons == ["nationality AO is not among the programme's nationalities"]


def test_a_minimum_age_is_counted_in_whole_years_on_the_day(make_person):
    rules = {"min_age": 18}
    assert evaluate(rules, make_person(date_of_birth=date(2006, 6, 15)), TODAY).eligible
    decision = evaluate(rules, make_person(date_of_birth=date(2006, 6, 16)), TODAY)
    assert decision.reasons == ["age 17 is below the programme's minimum age of 18"]


def test_a_maximum_age_is_inclusive(make_person):
    rules = {"max_age": 17}
    assert evaluate(rules, make_person(date_of_birth=date(2006, 6, 16)), TODAY).eligible
    decision = evaluate(rules, make_person(date_of_birth=date(2006, 6, 15)), TODAY)
    assert decision.reasons == ["age 18 is above the programme's maximum age of 17"]


def test_the_return_country_must_be_one_the_programme_serves(make_person):
    rules = {"allowed_return_countries": ["BR"]}
    decision = evaluate(rules, make_person(return_country="CV"), TODAY)
    assert decision.reasons == ["return country CV is not served by the programme"]


def test_the_migratory_status_can_be_restricted(make_person):
    rules = {"allowed_migratory_statuses": ["asylum_claim_refused", "asylum_claim_withdrawn"]}
    decision = evaluate(rules, make_person(), TODAY)
    assert decision.reasons == ["migratory status irregular is not covered by the programme"]


def test_a_trafficking_programme_requires_the_factor_without_naming_it(make_person):
    rules = {"requires_any_vulnerability_factor": ["victim_of_trafficking"]}
    assert evaluate(rules, make_person(), TODAY, [F.VICTIM_OF_TRAFFICKING]).eligible
    decision = evaluate(rules, make_person(), TODAY, [F.HOMELESS])
    assert not decision.eligible
    assert "trafficking" not in " ".join(decision.reasons)


def test_every_failing_rule_gives_its_own_reason(make_person):
    rules = {"excluded_nationalities": "EU", "min_age": 18,
             "allowed_return_countries": ["BR"]}
    person = make_person(nationality="FR", date_of_birth=date(2010, 1, 1), return_country="FR")
    assert len(evaluate(rules, person, TODAY).reasons) == 3


@pytest.mark.parametrize("rules,field", [
    ({"excluded_nationalities": "EUROPE"}, "excluded_nationalities"),
    ({"excluded_nationalities": ["pt"]}, "excluded_nationalities"),
    ({"allowed_nationalities": []}, "allowed_nationalities"),
    ({"min_age": -1}, "min_age"),
    ({"min_age": 17.5}, "min_age"),
    ({"max_age": True}, "max_age"),
    ({"allowed_return_countries": "BR"}, "allowed_return_countries"),
    ({"allowed_migratory_statuses": ["tourist"]}, "allowed_migratory_statuses"),
    ({"requires_any_vulnerability_factor": ["bad_luck"]}, "requires_any_vulnerability_factor"),
    ({"min_age": 30, "max_age": 20}, "min_age"),
    ({"max_income": 100}, "max_income"),
])
def test_malformed_rules_are_reported_by_rule(rules, field):
    assert list(rule_errors(rules)) == [field]


def test_evaluating_malformed_rules_refuses_instead_of_guessing(make_person):
    with pytest.raises(InvalidEligibilityRules) as refused:
        evaluate({"min_age": "18"}, make_person(), TODAY)
    assert refused.value.errors == {
        "min_age": ["must be a whole number of years between 0 and 120"]}


def test_well_formed_rules_have_no_errors():
    assert rule_errors({"excluded_nationalities": ["EU", "CH"], "min_age": 18, "max_age": 65,
                        "allowed_return_countries": ["BR", "CV"],
                        "allowed_migratory_statuses": ["irregular"],
                        "requires_any_vulnerability_factor": ["victim_of_trafficking"]}) == {}
