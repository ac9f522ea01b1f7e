import pytest

from reintegra.money import Money

from plans.domain.errors import FieldRequired
from plans.domain.plan import ReservationMismatch, VersionStatus
from plans.domain.plan_budget import (BudgetChange, compensation_operation_id,
                                      reservation_id_for, reserve_operation_id)
from plans.domain.plan_events import PlanCancelled
from plans.domain.plan_lines import Category


@pytest.fixture
def revised(approved_plan, line, caseworker, cap, at):
    """Version 1 (EUR 1,000) in force; version 2 with `cents` submitted for approval."""
    def make(cents):
        plan = approved_plan([line(amount=100_000)])
        plan.revise([line(amount=cents)], "new quote", caseworker, True, cap, at(5))
        plan.submit(2, caseworker, at(6))
        plan.events.clear()
        return plan
    return make


def test_every_version_of_a_plan_draws_on_one_earmark_named_after_the_plan():
    assert reservation_id_for("p1") == "plan:p1"
    assert reservation_id_for("p2") != reservation_id_for("p1")


def test_each_approval_attempt_asks_payments_under_its_own_operation_id():
    assert reserve_operation_id("p1", 1) == "plan:p1:v1:reserve"
    assert len({reserve_operation_id("p1", 1), reserve_operation_id("p1", 1, attempt=2),
                reserve_operation_id("p1", 2), reserve_operation_id("p2", 1)}) == 4


def test_a_compensation_is_named_after_the_reservation_it_undoes():
    assert compensation_operation_id("plan:p1:v1:reserve") == "plan:p1:v1:reserve:compensate"


def test_a_retried_approval_asks_for_the_same_reservation(drafted_plan, caseworker, supervisor,
                                                           at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    assert plan.prepare_approval(1, supervisor) == plan.prepare_approval(1, supervisor)


def test_the_first_approval_reserves_the_whole_total(drafted_plan, line, caseworker, supervisor,
                                                     at, eur):
    plan = drafted_plan([line(amount=120_000), line(Category.EDUCATION, amount=35_000)])
    plan.submit(1, caseworker, at(1))
    change = plan.prepare_approval(1, supervisor)
    assert change == BudgetChange("plan:p1", eur(155_000))
    assert (change.needs_reservation, change.to_reserve, change.to_release) == (
        True, eur(155_000), eur(0))


def test_a_revision_raising_the_total_reserves_only_the_difference(revised, another_supervisor,
                                                                   at, eur):
    plan = revised(130_000)
    change = plan.prepare_approval(2, another_supervisor)
    assert (change.reference, change.to_reserve, change.to_release) == (
        "plan:p1", eur(30_000), eur(0))
    plan.approve(2, another_supervisor, "plan:p1", at(7))
    approved = plan.events[-1]
    assert (approved.reservation_id, approved.released, approved.total) == (
        "plan:p1", eur(0), eur(130_000))


def test_a_revision_lowering_the_total_releases_the_difference_on_approval(
        revised, another_supervisor, at, eur):
    plan = revised(70_000)
    change = plan.prepare_approval(2, another_supervisor)
    assert (change.needs_reservation, change.to_release) == (False, eur(30_000))
    plan.approve(2, another_supervisor, None, at(7))
    approved = plan.events[-1]
    assert (approved.reservation_id, approved.released) == (None, eur(30_000))
    assert plan.versions[1].reservation_id is None


def test_a_lowering_revision_must_not_claim_a_reservation(revised, another_supervisor, at):
    plan = revised(70_000)
    with pytest.raises(ReservationMismatch, match="no reservation"):
        plan.approve(2, another_supervisor, "plan:p1", at(7))
    assert plan.versions[1].status == VersionStatus.SUBMITTED


def test_a_raising_revision_cannot_be_approved_without_a_reservation(
        revised, another_supervisor, at):
    with pytest.raises(ReservationMismatch, match="plan:p1"):
        revised(130_000).approve(2, another_supervisor, None, at(7))


def test_cancelling_an_approved_plan_releases_its_whole_total(approved_plan, at, eur):
    plan = approved_plan()
    assert plan.cancel("case withdrawn", at(5)) == eur(100_000)
    assert plan.status == VersionStatus.CANCELLED
    assert (plan.cancelled_at, plan.cancellation_reason) == (at(5), "case withdrawn")
    assert plan.versions[0].status == VersionStatus.CANCELLED
    assert plan.versions[0].approved_by == "sofia"
    assert plan.events == [PlanCancelled("case-1", "p1", "arvore-ix", eur(100_000),
                                         "case withdrawn")]


def test_cancelling_a_plan_never_approved_releases_nothing(drafted_plan, caseworker, at, eur):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    assert plan.cancel("case withdrawn", at(2)) == eur(0)
    assert plan.versions[0].status == VersionStatus.CANCELLED


def test_cancelling_during_a_pending_revision_releases_only_what_is_in_force(revised, at, eur):
    plan = revised(150_000)
    assert plan.cancel("case withdrawn", at(8)) == eur(100_000)
    assert [v.status for v in plan.versions] == [VersionStatus.CANCELLED] * 2


def test_cancelling_after_revisions_releases_the_total_of_the_version_in_force(
        revised, another_supervisor, at, eur):
    plan = revised(130_000)
    plan.approve(2, another_supervisor, "plan:p1", at(7))
    assert plan.cancel("case withdrawn", at(8)) == eur(130_000)
    assert [v.status for v in plan.versions] == [VersionStatus.SUPERSEDED,
                                                 VersionStatus.CANCELLED]


def test_a_redelivered_withdrawal_releases_nothing_more(approved_plan, at, eur):
    plan = approved_plan()
    plan.cancel("case withdrawn", at(5))
    assert plan.cancel("case withdrawn", at(6)) == eur(0)
    assert len(plan.events) == 1 and plan.cancelled_at == at(5)


def test_a_cancellation_needs_a_reason(approved_plan, at):
    plan = approved_plan()
    with pytest.raises(FieldRequired):
        plan.cancel("", at(5))
    assert plan.status == VersionStatus.APPROVED


def test_a_budget_change_never_reports_a_negative_reserve_or_release():
    raise_ = BudgetChange("r", Money(10, "EUR"))
    lower = BudgetChange("r", Money(-10, "EUR"))
    same = BudgetChange("r", Money(0, "EUR"))
    assert (raise_.to_reserve, raise_.to_release) == (Money(10, "EUR"), Money(0, "EUR"))
    assert (lower.to_reserve, lower.to_release) == (Money(0, "EUR"), Money(10, "EUR"))
    assert (same.to_reserve, same.to_release, same.needs_reservation) == (
        Money(0, "EUR"), Money(0, "EUR"), False)
