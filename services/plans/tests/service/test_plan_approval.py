"""Approving a plan reserves its total in payments' ledger; a refusal changes nothing."""
import pytest
from prometheus_client import REGISTRY

from reintegra.contracts.errors import Conflict, Forbidden, RuleViolation


@pytest.fixture
def system(start_plans, payments, programme, case_event, ready):
    plans = start_plans()
    programme("prog-1", plans_covered=2)
    for case_id in ("case-1", "case-2", "case-3"):
        case_event(case_id)
    ready(plans, payments, "prog-1", ("case-1", "case-2", "case-3"))
    return plans, payments


def test_an_approved_plan_holds_its_total_under_the_plans_reference(
        system, call, submitted_plan, as_supervisor, budget_of, plan_total):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    approved = call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert approved["status"] == "approved"
    assert approved["reservation_id"] == f"plan:{plan['id']}"
    assert approved["versions"][0]["approved_by"] == "sofia"
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total


def test_approving_twice_reserves_once(system, call, submitted_plan, as_supervisor, budget_of,
                                       plan_total):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    with pytest.raises(Conflict, match="it is approved"):
        call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total


def test_a_refused_reservation_leaves_the_plan_submitted_and_names_what_is_available(
        system, call, submitted_plan, as_supervisor, budget_of, line, plan_total):
    plans, payments = system
    first = submitted_plan(plans, "case-1", [line(150_000)])
    call(plans, "approve_plan", first["id"], {}, actor=as_supervisor)
    second = submitted_plan(plans, "case-2", [line(plan_total)])
    with pytest.raises(Conflict) as refused:
        call(plans, "approve_plan", second["id"], {}, actor=as_supervisor)
    assert refused.value.details["available"] == {"amount": 50_000, "currency": "EUR"}
    assert call(plans, "get_plan", second["id"], actor=as_supervisor)["status"] == "submitted"
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == 150_000


def test_the_caseworker_who_submitted_cannot_approve_nor_a_supervisor_who_drafted(
        system, call, submitted_plan, as_caseworker, as_supervisor, line, budget_of):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    with pytest.raises(Forbidden, match="only a supervisor"):
        call(plans, "approve_plan", plan["id"], {}, actor=as_caseworker)
    drafted = call(plans, "draft_plan", "case-2", {"lines": [line()]}, actor=as_supervisor)
    call(plans, "submit_plan", drafted["id"], {}, actor=as_caseworker)
    with pytest.raises(Forbidden, match="drafted version 1"):
        call(plans, "approve_plan", drafted["id"], {}, actor=as_supervisor)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == 0


def test_a_plan_over_the_cap_is_refused_naming_the_cap_and_the_excess(system, call, line,
                                                                       as_caseworker):
    plans, _ = system
    with pytest.raises(RuleViolation) as refused:
        call(plans, "draft_plan", "case-1", {"lines": [line(150_000), line(50_001)]},
             actor=as_caseworker)
    assert refused.value.details["cap"] == {"amount": 200_000, "currency": "EUR"}
    assert refused.value.details["excess"] == {"amount": 1, "currency": "EUR"}
    assert "2000.00 EUR" in refused.value.message and "0.01 EUR" in refused.value.message


def test_a_health_line_without_justification_is_refused_naming_the_line(system, call, line,
                                                                         as_caseworker):
    plans, _ = system
    with pytest.raises(RuleViolation) as refused:
        call(plans, "draft_plan", "case-1", {"lines": [line(), line(10_000, "health")]},
             actor=as_caseworker)
    assert list(refused.value.fields) == ["lines[1].justification"]


def test_approval_shows_in_the_plans_approved_and_the_approved_amount_by_category(
        system, call, submitted_plan, as_supervisor, line):
    plans, _ = system
    approved_before = REGISTRY.get_sample_value("reintegra_plans_approved_total") or 0
    plan = submitted_plan(plans, "case-1", [line(70_000), line(5_000, "education",
                                                               justification="school fees")])
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert REGISTRY.get_sample_value("reintegra_plans_approved_total") == approved_before + 1
    by_category = {category: REGISTRY.get_sample_value(
        "reintegra_plans_approved_amount_minor", {"category": category, "currency": "EUR"})
        for category in ("income_generating_activity", "education")}
    assert by_category == {"income_generating_activity": 70_000, "education": 5_000}
