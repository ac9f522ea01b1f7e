"""Builders shared by the plans domain tests (test files never import each other)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from reintegra.money import Money

from plans.domain.application import Application
from plans.domain.case_facts import CaseFacts, CaseStatus, VulnerabilityLevel
from plans.domain.four_eyes import Actor, Role
from plans.domain.plan import Plan
from plans.domain.plan_lines import Category, PlanLine
from plans.domain.scoring import CriteriaScores, Criterion, ScoringWeights

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def eur():
    return lambda cents: Money(cents, "EUR")


@pytest.fixture
def cap():
    return Money(200_000, "EUR")


@pytest.fixture
def at():
    """Distinct, increasing timestamps: `at(n)` is n minutes after a fixed start."""
    return lambda minutes=0: T0 + timedelta(minutes=minutes)


@pytest.fixture
def caseworker():
    return Actor("carla", Role.CASEWORKER)


@pytest.fixture
def supervisor():
    return Actor("sofia", Role.SUPERVISOR)


@pytest.fixture
def another_supervisor():
    return Actor("samuel", Role.SUPERVISOR)


@pytest.fixture
def line(eur):
    """A valid line; justification is filled in for the categories that need one."""
    def make(category=Category.INCOME_GENERATING_ACTIVITY, amount=100_000,
             description="sewing machine and fabric", supplier=None, justification=None):
        if justification is None and category not in (Category.INCOME_GENERATING_ACTIVITY,
                                                      Category.VOCATIONAL_TRAINING):
            justification = "individual analysis: no other source of income"
        return PlanLine(category, description, eur(amount), supplier, justification)
    return make


@pytest.fixture
def drafted_plan(line, cap, caseworker, at):
    def make(lines=None, drafted_by=None):
        return Plan.draft("p1", "case-1", "arvore-ix", lines or [line()], cap,
                          drafted_by or caseworker, at(0))
    return make


@pytest.fixture
def approved_plan(drafted_plan, caseworker, supervisor, at):
    """Version 1 drafted and submitted by the caseworker, approved by the supervisor."""
    def make(lines=None):
        plan = drafted_plan(lines)
        plan.submit(1, caseworker, at(1))
        change = plan.prepare_approval(1, supervisor)
        plan.approve(1, supervisor, change.reference, at(2))
        plan.events.clear()
        return plan
    return make


@pytest.fixture
def case_facts():
    def make(status=CaseStatus.RETURN_APPROVED, level=VulnerabilityLevel.NONE,
             case_id="case-1", programme_id="arvore-ix"):
        return CaseFacts(case_id, programme_id, status, level)
    return make


@pytest.fixture
def weights():
    return ScoringWeights("2025-01", {Criterion.NEEDS: 30, Criterion.VULNERABILITY: 25,
                                      Criterion.SKILLS: 15,
                                      Criterion.SUSTAINABILITY_AND_FEASIBILITY: 20,
                                      Criterion.MONITORING_AVAILABLE: 10})


@pytest.fixture
def scores():
    def make(needs=5, vulnerability=5, skills=5, sustainability_and_feasibility=5,
             monitoring_available=5):
        return CriteriaScores(needs, vulnerability, skills, sustainability_and_feasibility,
                              monitoring_available)
    return make


@pytest.fixture
def application(case_facts, eur):
    def make(application_id="a1", level=VulnerabilityLevel.NONE, applied_on=date(2025, 2, 1),
             requested=150_000, programme_id="arvore-ix"):
        case = case_facts(level=level, case_id=f"case-{application_id}",
                          programme_id=programme_id)
        return Application.submit(application_id, case, applied_on=applied_on,
                                  interview_date=applied_on, needs="tools to restart a trade",
                                  skills="tailoring", intended_use="small sewing workshop",
                                  household_situation="lives with two children",
                                  requested_amount=eur(requested))
    return make


@pytest.fixture
def evaluated(application, scores, weights, at):
    """An evaluated application whose every criterion is scored `score`."""
    def make(application_id, score, **kwargs):
        app = application(application_id, **kwargs)
        app.evaluate(scores(score, score, score, score, score), weights, "sofia", at(0))
        return app
    return make
