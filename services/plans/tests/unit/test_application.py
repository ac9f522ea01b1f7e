from datetime import date
from decimal import Decimal

import pytest

from reintegra.money import Money

from plans.domain.application import (Application, ApplicationStatus, CaseNotReturnApproved,
                                      RequestedAmountNotPositive)
from plans.domain.case_facts import CaseStatus, VulnerabilityLevel
from plans.domain.errors import FieldRequired, IllegalTransition
from plans.domain.scoring import Criterion, ScoringWeights


def submit(case, **overrides):
    fields = dict(applied_on=date(2025, 2, 3), interview_date=date(2025, 2, 1),
                  needs="tools", skills="", intended_use="a bakery",
                  household_situation="", requested_amount=Money(150_000, "EUR"))
    return Application.submit("a1", case, **{**fields, **overrides})


def test_an_application_for_a_return_approved_case_is_submitted_with_its_case_facts(case_facts):
    case = case_facts(CaseStatus.RETURN_APPROVED, VulnerabilityLevel.MEDIUM)
    application = submit(case)
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.case_id, application.programme_id) == ("case-1", "arvore-ix")
    assert application.vulnerability_level == VulnerabilityLevel.MEDIUM
    assert application.score is None


@pytest.mark.parametrize("status", [CaseStatus.REGISTERED, CaseStatus.COUNSELLED,
                                    CaseStatus.WITHDRAWN, CaseStatus.CLOSED])
def test_no_application_is_possible_unless_the_return_is_approved_and_the_case_open(
        case_facts, status):
    with pytest.raises(CaseNotReturnApproved, match=status.value):
        submit(case_facts(status))


def test_the_vulnerability_level_is_a_snapshot_taken_at_the_interview(case_facts):
    case = case_facts(level=VulnerabilityLevel.LOW)
    application = submit(case)
    case.record_vulnerability(VulnerabilityLevel.HIGH)
    assert application.vulnerability_level == VulnerabilityLevel.LOW


@pytest.mark.parametrize("field", ["needs", "intended_use"])
def test_needs_and_intended_use_must_be_written_down(case_facts, field):
    with pytest.raises(FieldRequired) as refused:
        submit(case_facts(), **{field: "  "})
    assert refused.value.field == field


@pytest.mark.parametrize("cents", [0, -1])
def test_the_requested_amount_must_be_positive(case_facts, cents):
    with pytest.raises(RequestedAmountNotPositive):
        submit(case_facts(), requested_amount=Money(cents, "EUR"))


def test_evaluation_stores_the_scores_the_exact_weighted_score_and_the_weights_version(
        application, scores, weights, at):
    app = application()
    app.evaluate(scores(10, 8, 3, 6, 5), weights, "sofia", at(3))
    assert app.status == ApplicationStatus.EVALUATED
    assert app.score == Decimal("71.5")  # (300 + 200 + 45 + 120 + 50) points / 10
    assert app.weights_version == "2025-01"
    assert (app.evaluated_by, app.evaluated_at) == ("sofia", at(3))


def test_re_evaluating_with_a_new_weights_version_replaces_score_and_version(
        application, scores, weights, at):
    app = application()
    app.evaluate(scores(10, 0, 0, 0, 0), weights, "sofia", at(1))
    needs_only = ScoringWeights("2025-06", {c: (100 if c == Criterion.NEEDS else 0)
                                            for c in Criterion})
    app.evaluate(scores(10, 0, 0, 0, 0), needs_only, "sofia", at(2))
    assert (app.score, app.weights_version) == (Decimal(100), "2025-06")


def test_an_evaluated_application_is_supported_when_its_plan_is_approved(evaluated):
    app = evaluated("a1", 7)
    app.mark_supported()
    app.mark_supported()
    assert app.status == ApplicationStatus.SUPPORTED


def test_an_application_cannot_be_supported_before_it_is_evaluated(application):
    with pytest.raises(IllegalTransition, match="submitted"):
        application().mark_supported()


def test_an_application_may_be_declined_with_a_reason_even_before_evaluation(application):
    app = application()
    app.mark_not_supported("case withdrawn")
    assert (app.status, app.decision_reason) == (ApplicationStatus.NOT_SUPPORTED, "case withdrawn")


def test_declining_needs_a_reason(evaluated):
    with pytest.raises(FieldRequired):
        evaluated("a1", 4).mark_not_supported("")


def test_a_decided_application_can_no_longer_be_evaluated(evaluated, scores, weights, at):
    app = evaluated("a1", 7)
    app.mark_supported()
    with pytest.raises(IllegalTransition, match="supported"):
        app.evaluate(scores(), weights, "sofia", at(9))


def test_a_supported_application_cannot_then_be_declined(evaluated):
    app = evaluated("a1", 7)
    app.mark_supported()
    with pytest.raises(IllegalTransition):
        app.mark_not_supported("changed our mind")
    assert app.status == ApplicationStatus.SUPPORTED
