"""What intake's events do to applications and plans: return approval opens the application,
arrival allows revisions, withdrawal cancels the plan and gives its budget back."""
import pytest
from prometheus_client import REGISTRY

from reintegra.contracts.errors import Conflict

SCORES = {"needs": 8, "vulnerability": 6, "skills": 4, "sustainability_and_feasibility": 7,
          "monitoring_available": 10}


def application(scores=SCORES):
    return {"interview_date": "2026-11-03", "needs": "tools to restart a tailoring trade",
            "skills": "tailoring", "intended_use": "small sewing workshop",
            "household_situation": "two children", "scores": scores}


@pytest.fixture
def system(start_plans, payments, programme, case_event, ready):
    plans = start_plans()
    programme("prog-1", plans_covered=3)
    case_event("case-1")
    ready(plans, payments, "prog-1", ["case-1"])
    return plans, payments


def test_an_application_waits_for_return_approval_then_is_scored_with_the_weights_version(
        system, call, case_event, known, as_caseworker):
    plans, _ = system
    with pytest.raises(Conflict, match="registered"):
        call(plans, "submit_application", "case-1", application(), actor=as_caseworker)
    case_event("case-1", to_status="return_approved")
    known(plans, "case-1", "return_approved")
    created = call(plans, "submit_application", "case-1", application(), actor=as_caseworker)
    # default weights: needs 30, vulnerability 25, sustainability 20, skills 15, monitoring 10
    assert (created["status"], created["score"], created["weights_version"]) == (
        "evaluated", "69.0", "default-1")
    assert REGISTRY.get_sample_value("reintegra_plans_applications", {"status": "evaluated"}) == 1


def test_a_programmes_new_weights_are_used_for_later_applications(
        system, call, case_event, known, as_caseworker):
    plans, _ = system
    weights = {"needs": 20, "vulnerability": 20, "skills": 20,
               "sustainability_and_feasibility": 20, "monitoring_available": 20}
    set_ = call(plans, "set_scoring_weights", "prog-1", {"version": "2026-a", "weights": weights},
                actor={"actor_id": "ada", "actor_role": "admin"})
    assert set_["version"] == "2026-a"
    case_event("case-1", to_status="return_approved")
    known(plans, "case-1", "return_approved")
    created = call(plans, "submit_application", "case-1", application(), actor=as_caseworker)
    assert (created["score"], created["weights_version"]) == ("70.0", "2026-a")


def test_the_ranking_says_who_the_remaining_budget_still_covers(
        system, call, case_event, known, as_caseworker, submitted_plan, line, plan_total):
    plans, _ = system
    for case_id, needs in (("case-2", 9), ("case-3", 3), ("case-4", 6)):
        case_event(case_id, to_status="return_approved")
        known(plans, case_id, "return_approved")
        call(plans, "submit_application", case_id, application(dict(SCORES, needs=needs)),
             actor=as_caseworker)
    submitted_plan(plans, "case-2", [line(2 * plan_total)])
    submitted_plan(plans, "case-4", [line(plan_total + 1)])
    ranking = call(plans, "rank_applications", "prog-1")
    assert [(r["case_id"], r["covered"]) for r in ranking["items"]] == [
        ("case-2", True), ("case-4", False), ("case-3", False)]
    assert ranking["items"][0]["needed"] == {"amount": 2 * plan_total, "currency": "EUR"}
    assert ranking["available"] == {"amount": 3 * plan_total, "currency": "EUR"}


def test_a_withdrawal_cancels_the_plan_and_releases_its_reservation(
        system, call, case_event, submitted_plan, as_supervisor, budget_of, eventually,
        plan_total):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total
    case_event("case-1", to_status="withdrawn")
    eventually(lambda: call(plans, "get_plan", plan["id"])["status"] == "cancelled")
    eventually(lambda: budget_of(payments, "prog-1")["reserved"]["amount"] == 0)


def test_a_revision_waits_for_arrival_and_a_lower_total_gives_back_the_difference(
        system, call, case_event, known, submitted_plan, as_caseworker, as_supervisor,
        budget_of, eventually, line, plan_total):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    revision = {"lines": [line(plan_total - 30_000)], "reason": "a cheaper machine"}
    with pytest.raises(Conflict, match="after the person has arrived"):
        call(plans, "revise_plan", plan["id"], revision, actor=as_caseworker)
    case_event("case-1", to_status="arrived")
    known(plans, "case-1", "arrived")
    revised = call(plans, "revise_plan", plan["id"], revision, actor=as_caseworker)
    assert [v["status"] for v in revised["versions"]] == ["draft", "approved"]
    call(plans, "submit_plan", plan["id"], {}, actor=as_caseworker)
    approved = call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert [v["status"] for v in approved["versions"]] == ["approved", "superseded"]
    eventually(lambda: budget_of(payments, "prog-1")["reserved"]["amount"]
               == plan_total - 30_000)


def test_a_revision_raising_the_total_reserves_only_the_extra_on_approval(
        system, call, case_event, known, submitted_plan, as_caseworker, as_supervisor,
        budget_of, line, plan_total):
    plans, payments = system
    plan = submitted_plan(plans, "case-1")
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    case_event("case-1", to_status="arrived")
    known(plans, "case-1", "arrived")
    call(plans, "revise_plan", plan["id"], {"lines": [line(plan_total + 25_000)],
                                            "reason": "equipment price rose"},
         actor=as_caseworker)
    call(plans, "submit_plan", plan["id"], {}, actor=as_caseworker)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total
    call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total + 25_000
