"""Every role × (drafter, submitter, someone else) for reviewing a submitted version."""
import pytest

from plans.domain.errors import NotAllowed
from plans.domain.four_eyes import Actor, FourEyesViolation, Role
from plans.domain.plan import VersionStatus

OTHER_ROLES = [Role.CASEWORKER, Role.FINANCE_OFFICER, Role.OPERATIONS, Role.ADMIN, Role.AUDITOR]


@pytest.fixture
def submitted(drafted_plan, at):
    """Drafted by 'drafter', submitted by 'submitter', both supervisors so only four-eyes
    can stop them."""
    plan = drafted_plan(drafted_by=Actor("drafter", Role.SUPERVISOR))
    plan.submit(1, Actor("submitter", Role.SUPERVISOR), at(1))
    return plan


def review(plan, actor, action, at):
    if action == "approve":
        plan.approve(1, actor, plan.prepare_approval(1, actor).reference, at(2))
    else:
        plan.reject(1, actor, "not sustainable", at(2))


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_supervisor_who_neither_drafted_nor_submitted_may_review(submitted, action, at):
    review(submitted, Actor("other", Role.SUPERVISOR), action, at)
    assert submitted.status == (VersionStatus.APPROVED if action == "approve"
                                else VersionStatus.REJECTED)


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("who", ["drafter", "submitter"])
def test_a_supervisor_who_drafted_or_submitted_the_version_may_not_review_it(
        submitted, action, who, at):
    with pytest.raises(FourEyesViolation) as refused:
        review(submitted, Actor(who, Role.SUPERVISOR), action, at)
    did = {"drafter": "drafted", "submitter": "submitted"}[who]
    assert f"{who} {did} version 1 and so may not {action} it" in str(refused.value)
    assert submitted.status == VersionStatus.SUBMITTED
    assert [type(event).__name__ for event in submitted.events] == ["PlanSubmitted"]


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("who", ["drafter", "submitter", "other"])
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_role_but_supervisor_may_review_whoever_they_are(submitted, action, who, role, at):
    with pytest.raises(NotAllowed) as refused:
        review(submitted, Actor(who, role), action, at)
    assert not isinstance(refused.value, FourEyesViolation)
    assert f"is {role.value}: only a supervisor may {action}" in str(refused.value)
    assert submitted.status == VersionStatus.SUBMITTED


def test_the_drafter_may_submit_their_own_draft(drafted_plan, caseworker, at):
    plan = drafted_plan()
    plan.submit(1, caseworker, at(1))
    assert plan.current_version.submitted_by == caseworker.user_id


def test_a_caseworker_may_not_approve_even_a_plan_someone_else_wrote(drafted_plan, at):
    plan = drafted_plan(drafted_by=Actor("carla", Role.CASEWORKER))
    plan.submit(1, Actor("carla", Role.CASEWORKER), at(1))
    with pytest.raises(NotAllowed, match="only a supervisor"):
        plan.prepare_approval(1, Actor("carlos", Role.CASEWORKER))


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.OPERATIONS, Role.ADMIN,
                                  Role.AUDITOR])
def test_only_case_staff_may_draft_submit_or_revise(role, drafted_plan, approved_plan, line,
                                                    cap, at):
    outsider = Actor("x", role)
    with pytest.raises(NotAllowed, match="only caseworkers and supervisors may draft"):
        drafted_plan(drafted_by=outsider)
    with pytest.raises(NotAllowed, match="may submit"):
        drafted_plan().submit(1, outsider, at(1))
    with pytest.raises(NotAllowed, match="may revise"):
        approved_plan().revise([line()], "new quote", outsider, True, cap, at(5))
