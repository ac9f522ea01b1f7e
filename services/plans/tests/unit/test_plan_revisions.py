import pytest

from reintegra.money import Money

from plans.domain.errors import FieldRequired
from plans.domain.four_eyes import Actor, FourEyesViolation, Role
from plans.domain.plan import RevisionBeforeArrival, VersionAwaitingReview, VersionStatus
from plans.domain.plan_events import PlanRevised
from plans.domain.plan_lines import CapExceeded, Category, Supplier


def statuses(plan):
    return [v.status for v in plan.versions]


def test_an_approved_plan_cannot_be_revised_before_arrival(approved_plan, line, caseworker, cap,
                                                           at):
    plan = approved_plan()
    with pytest.raises(RevisionBeforeArrival):
        plan.revise([line(amount=90_000)], "cheaper quote", caseworker, False, cap, at(5))
    assert len(plan.versions) == 1


def test_a_revision_needs_a_reason(approved_plan, line, caseworker, cap, at):
    with pytest.raises(FieldRequired, match="reason"):
        approved_plan().revise([line()], "", caseworker, True, cap, at(5))


def test_a_revision_changing_the_total_is_a_new_draft_while_the_old_version_stays_in_force(
        approved_plan, line, caseworker, cap, at):
    plan = approved_plan()
    revision = plan.revise([line(amount=120_000)], "equipment costs more", caseworker, True,
                           cap, at(5))
    assert (revision.number, revision.status, revision.revision_reason) == (
        2, VersionStatus.DRAFT, "equipment costs more")
    assert plan.version_in_force is plan.versions[0]
    assert plan.events == [PlanRevised("case-1", "p1", "arvore-ix", 2, Money(120_000, "EUR"),
                                       "equipment costs more", "carla", True)]


def test_a_revision_changing_the_categories_needs_approval_even_at_the_same_total(
        approved_plan, line, caseworker, cap, at):
    plan = approved_plan([line(amount=100_000)])
    revision = plan.revise([line(Category.VOCATIONAL_TRAINING, amount=100_000)],
                           "training first", caseworker, True, cap, at(5))
    assert revision.status == VersionStatus.DRAFT


def test_an_approved_revision_supersedes_the_version_in_force(
        approved_plan, line, caseworker, another_supervisor, cap, at):
    plan = approved_plan()
    plan.revise([line(amount=120_000)], "equipment costs more", caseworker, True, cap, at(5))
    plan.submit(2, caseworker, at(6))
    plan.approve(2, another_supervisor, plan.prepare_approval(2, another_supervisor).reference,
                 at(7))
    assert statuses(plan) == [VersionStatus.SUPERSEDED, VersionStatus.APPROVED]
    assert plan.version_in_force is plan.versions[1]


def test_a_revision_changing_only_descriptions_and_suppliers_is_approved_at_once(
        approved_plan, line, caseworker, cap, at):
    plan = approved_plan([line(amount=100_000), line(Category.HOUSING, amount=40_000)])
    revision = plan.revise(
        [line(amount=100_000, description="industrial sewing machine",
              supplier=Supplier("Casa das Máquinas", "invoice 88")),
         line(Category.HOUSING, amount=40_000, description="rent in Praia")],
        "supplier found", caseworker, True, cap, at(5))
    assert (revision.status, revision.auto_approved, revision.approved_by) == (
        VersionStatus.APPROVED, True, None)
    assert statuses(plan) == [VersionStatus.SUPERSEDED, VersionStatus.APPROVED]
    revised, approved = plan.events
    assert revised.needs_approval is False
    assert (approved.version, approved.approved_by, approved.reservation_id, approved.released) == (
        2, None, None, Money(0, "EUR"))


def test_moving_money_between_lines_of_the_same_categories_keeps_the_terms(
        approved_plan, line, caseworker, cap, at):
    plan = approved_plan([line(amount=100_000), line(Category.HEALTH, amount=40_000)])
    revision = plan.revise([line(amount=90_000), line(Category.HEALTH, amount=50_000)],
                           "medicine dearer than expected", caseworker, True, cap, at(5))
    assert revision.status == VersionStatus.APPROVED


@pytest.mark.parametrize("pending", ["draft", "submitted"])
def test_no_new_revision_while_one_awaits_review(approved_plan, line, caseworker, cap, at,
                                                  pending):
    plan = approved_plan()
    plan.revise([line(amount=120_000)], "dearer", caseworker, True, cap, at(5))
    if pending == "submitted":
        plan.submit(2, caseworker, at(6))
    with pytest.raises(VersionAwaitingReview, match=f"version 2 is still {pending}"):
        plan.revise([line(amount=130_000)], "dearer still", caseworker, True, cap, at(7))


def test_a_rejected_first_draft_is_revised_into_a_new_draft_even_before_return(
        drafted_plan, line, caseworker, supervisor, cap, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    plan.reject(1, supervisor, "no quote attached", at(2))
    revision = plan.revise([line(supplier=Supplier("Loja", "quote 3"))], "quote attached",
                           caseworker, False, cap, at(3))
    assert statuses(plan) == [VersionStatus.REJECTED, VersionStatus.DRAFT]
    assert revision.number == 2 and plan.events[-1].needs_approval is True


def test_after_a_rejected_revision_the_earlier_version_stays_in_force_and_is_the_reference(
        approved_plan, line, caseworker, another_supervisor, cap, at):
    plan = approved_plan()
    plan.revise([line(amount=180_000)], "bigger shop", caseworker, True, cap, at(5))
    plan.submit(2, caseworker, at(6))
    plan.reject(2, another_supervisor, "not sustainable", at(7))
    assert plan.version_in_force is plan.versions[0]
    revision = plan.revise([line(description="same shop, new wording")], "rewording",
                           caseworker, True, cap, at(8))
    assert revision.status == VersionStatus.APPROVED
    assert statuses(plan) == [VersionStatus.SUPERSEDED, VersionStatus.REJECTED,
                              VersionStatus.APPROVED]


def test_a_revision_over_the_cap_is_refused_and_leaves_no_version(approved_plan, line,
                                                                   caseworker, cap, at):
    plan = approved_plan()
    with pytest.raises(CapExceeded):
        plan.revise([line(amount=200_001)], "dearer", caseworker, True, cap, at(5))
    assert len(plan.versions) == 1 and plan.events == []


def test_the_reviser_may_not_approve_their_own_revision(approved_plan, line, cap, at):
    plan = approved_plan()
    reviser = Actor("samuel", Role.SUPERVISOR)
    plan.revise([line(amount=120_000)], "dearer", reviser, True, cap, at(5))
    plan.submit(2, Actor("carla", Role.CASEWORKER), at(6))
    with pytest.raises(FourEyesViolation, match="samuel drafted version 2"):
        plan.prepare_approval(2, reviser)


def test_every_version_is_kept_with_its_own_lines_authors_and_reasons(
        approved_plan, line, caseworker, supervisor, another_supervisor, cap, at):
    plan = approved_plan([line(amount=100_000)])
    plan.revise([line(amount=150_000)], "bigger stock", caseworker, True, cap, at(5))
    plan.submit(2, caseworker, at(6))
    plan.reject(2, another_supervisor, "too much stock", at(7))
    plan.revise([line(amount=100_000, description="smaller machine")], "rewording",
                caseworker, True, cap, at(8))
    history = [(v.number, v.total.amount, v.status, v.revision_reason, v.rejection_reason,
                v.approved_by) for v in plan.versions]
    assert history == [
        (1, 100_000, VersionStatus.SUPERSEDED, None, None, supervisor.user_id),
        (2, 150_000, VersionStatus.REJECTED, "bigger stock", "too much stock", None),
        (3, 100_000, VersionStatus.APPROVED, "rewording", None, None),
    ]
    assert plan.versions[2].lines[0].description == "smaller machine"
    assert plan.versions[0].lines[0].description == "sewing machine and fabric"


def test_a_cap_in_another_currency_than_the_plans_is_a_wiring_mistake(approved_plan, line,
                                                                       caseworker, at):
    with pytest.raises(ValueError, match="cap in USD for a plan in EUR"):
        approved_plan().revise([line()], "new quote", caseworker, True,
                               Money(200_000, "USD"), at(5))
