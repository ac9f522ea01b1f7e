import pytest

from reintegra.money import Money

from plans.domain.errors import FieldRequired, IllegalTransition
from plans.domain.four_eyes import Actor, FourEyesViolation, Role
from plans.domain.plan import (Plan, PlanIsCancelled, ReservationMismatch, VersionNotCurrent,
                               VersionStatus)
from plans.domain.plan_events import PlanApproved, PlanRejected, PlanSubmitted
from plans.domain.plan_lines import CapExceeded, Category


def test_a_new_plan_is_a_draft_version_1_in_the_programme_currency(drafted_plan, line, at):
    plan = drafted_plan([line(amount=120_000), line(Category.HOUSING, amount=30_000)])
    version = plan.current_version
    assert (plan.status, plan.currency, len(plan.versions)) == (VersionStatus.DRAFT, "EUR", 1)
    assert (version.number, version.total) == (1, Money(150_000, "EUR"))
    assert (version.drafted_by, version.drafted_at) == ("carla", at(0))
    assert plan.version_in_force is None and plan.events == []


def test_a_plan_over_the_cap_cannot_even_be_drafted(line, cap, caseworker, at):
    with pytest.raises(CapExceeded):
        Plan.draft("p1", "case-1", "arvore-ix", [line(amount=200_001)], cap, caseworker, at())


def test_submitting_a_draft_records_who_and_when(drafted_plan, caseworker, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    version = plan.current_version
    assert (version.status, version.submitted_by, version.submitted_at) == (
        VersionStatus.SUBMITTED, "carla", at(1))
    assert plan.events == [PlanSubmitted("case-1", "p1", "arvore-ix", 1,
                                         Money(100_000, "EUR"), "carla")]


def test_a_version_cannot_be_submitted_twice(drafted_plan, caseworker, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    with pytest.raises(IllegalTransition, match="cannot submit version 1: it is submitted"):
        plan.submit(1, caseworker, at(2))


def test_actions_name_the_version_they_mean_so_a_stale_screen_cannot_act(drafted_plan,
                                                                        caseworker, at):
    with pytest.raises(VersionNotCurrent, match="version 2 is not the current"):
        drafted_plan().submit(2, caseworker, at(1))


def test_approval_brings_the_version_into_force_with_its_reservation(
        drafted_plan, line, caseworker, supervisor, at):
    plan = drafted_plan([line(amount=150_000), line(Category.HEALTH, amount=20_000)])
    plan.submit(1, caseworker, at(1))
    plan.approve(1, supervisor, "plan:p1", at(2))
    version = plan.current_version
    assert plan.status == VersionStatus.APPROVED and plan.version_in_force is version
    assert (version.approved_by, version.approved_at, version.reservation_id) == (
        "sofia", at(2), "plan:p1")
    assert plan.events[-1] == PlanApproved(
        "case-1", "p1", "arvore-ix", 1, Money(170_000, "EUR"),
        ((Category.INCOME_GENERATING_ACTIVITY, Money(150_000, "EUR")),
         (Category.HEALTH, Money(20_000, "EUR"))),
        "EUR", "sofia", "plan:p1", Money(0, "EUR"))


@pytest.mark.parametrize("reservation_id", [None, "plan:other"])
def test_approval_without_its_own_reservation_is_refused_and_changes_nothing(
        drafted_plan, caseworker, supervisor, at, reservation_id):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    with pytest.raises(ReservationMismatch, match="plan:p1"):
        plan.approve(1, supervisor, reservation_id, at(2))
    assert plan.status == VersionStatus.SUBMITTED and len(plan.events) == 1


def test_a_draft_cannot_be_approved_before_it_is_submitted(drafted_plan, supervisor):
    with pytest.raises(IllegalTransition, match="it is draft"):
        drafted_plan().prepare_approval(1, supervisor)


def test_preparing_an_approval_changes_nothing(drafted_plan, caseworker, supervisor, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    plan.prepare_approval(1, supervisor)
    assert plan.status == VersionStatus.SUBMITTED and len(plan.events) == 1


def test_a_retried_approval_with_the_same_reservation_changes_nothing(
        approved_plan, supervisor, at):
    plan = approved_plan()
    plan.approve(1, supervisor, "plan:p1", at(9))
    assert plan.current_version.approved_at == at(2) and plan.events == []


def test_an_approved_version_cannot_be_approved_again_with_another_reservation(
        approved_plan, supervisor, at):
    with pytest.raises(IllegalTransition, match="it is approved"):
        approved_plan().approve(1, supervisor, "plan:other", at(9))


def test_approve_itself_enforces_four_eyes_not_only_its_preparation(drafted_plan, at):
    drafter = Actor("sofia", Role.SUPERVISOR)
    plan = drafted_plan(drafted_by=drafter)
    plan.submit(1, Actor("carla", Role.CASEWORKER), at(1))
    with pytest.raises(FourEyesViolation):
        plan.approve(1, drafter, "plan:p1", at(2))


def test_a_rejection_records_its_reviewer_and_reason(drafted_plan, caseworker, supervisor, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    plan.reject(1, supervisor, "  quote is two years old ", at(2))
    version = plan.current_version
    assert (version.status, version.rejected_by, version.rejected_at, version.rejection_reason) == (
        VersionStatus.REJECTED, "sofia", at(2), "quote is two years old")
    assert plan.events[-1] == PlanRejected("case-1", "p1", "arvore-ix", 1,
                                           "quote is two years old", "sofia")


def test_a_rejection_needs_a_reason(drafted_plan, caseworker, supervisor, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    with pytest.raises(FieldRequired, match="reason"):
        plan.reject(1, supervisor, " ", at(2))
    assert plan.status == VersionStatus.SUBMITTED


def test_a_rejected_version_cannot_be_approved(drafted_plan, caseworker, supervisor, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    plan.reject(1, supervisor, "no quote", at(2))
    with pytest.raises(IllegalTransition, match="it is rejected"):
        plan.approve(1, supervisor, "plan:p1", at(3))


def test_a_cancelled_plan_refuses_every_further_step(drafted_plan, line, caseworker, supervisor,
                                                     cap, at):
    plan = drafted_plan()
    plan.cancel("case withdrawn", at(1))
    with pytest.raises(PlanIsCancelled):
        plan.submit(1, caseworker, at(2))
    with pytest.raises(PlanIsCancelled):
        plan.prepare_approval(1, supervisor)
    with pytest.raises(PlanIsCancelled):
        plan.revise([line()], "new quote", caseworker, True, cap, at(3))
