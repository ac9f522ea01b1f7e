"""A crash between payments' reservation and plans' commit leaves no orphan reservation."""
import pytest

from reintegra.contracts.errors import Conflict

from plans.entrypoints.service import InjectedCrash

CRASH = {"FAULT_INJECTION": ["after_reservation"],
         # the crashed process must not recover on its own: it is about to be killed
         "APPROVAL_RECOVERY_INTERVAL_SECONDS": 3600}
RECOVERING = {"APPROVAL_RECOVERY_INTERVAL_SECONDS": 0.1, "APPROVAL_RECOVERY_AFTER_SECONDS": 0}


@pytest.fixture
def crashed_approval(start_plans, payments, programme, case_event, ready, submitted_plan,
                     call, as_supervisor, budget_of, plan_total):
    """Plans reserved the plan's total, then died before committing the approval."""
    plans = start_plans(**CRASH)
    programme("prog-1", plans_covered=3)
    case_event("case-1")
    ready(plans, payments, "prog-1", ["case-1"])
    plan = submitted_plan(plans, "case-1")
    with pytest.raises(InjectedCrash):
        call(plans, "approve_plan", plan["id"], {}, actor=as_supervisor)
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total
    plans.kill()
    return plan


def test_the_restarted_service_gives_back_a_reservation_its_crash_left_behind(
        crashed_approval, start_plans, payments, call, budget_of, eventually, as_supervisor):
    plans = start_plans(**RECOVERING)
    eventually(lambda: budget_of(payments, "prog-1")["reserved"]["amount"] == 0)
    assert call(plans, "get_plan", crashed_approval["id"])["status"] == "submitted"


def test_after_recovery_approving_again_reserves_the_total_exactly_once(
        crashed_approval, start_plans, payments, call, budget_of, eventually, as_supervisor,
        plan_total):
    plans = start_plans(**RECOVERING)

    def approve_once_undone():
        # Until the recovery has settled, approving is refused with "approve again".
        try:
            return call(plans, "approve_plan", crashed_approval["id"], {}, actor=as_supervisor)
        except Conflict as refused:
            assert "being undone" in refused.message or "abandoned" in refused.message
            return None
    approved = eventually(approve_once_undone)
    assert approved["status"] == "approved"
    budget = budget_of(payments, "prog-1")
    assert (budget["reserved"]["amount"], budget["available"]["amount"]) == (
        plan_total, 2 * plan_total)


def test_an_approval_retried_before_recovery_completes_the_interrupted_one_without_reserving_twice(
        crashed_approval, start_plans, payments, call, budget_of, as_supervisor, plan_total):
    plans = start_plans()
    approved = call(plans, "approve_plan", crashed_approval["id"], {}, actor=as_supervisor)
    assert approved["status"] == "approved"
    assert budget_of(payments, "prog-1")["reserved"]["amount"] == plan_total
    with pytest.raises(Conflict, match="it is approved"):
        call(plans, "approve_plan", crashed_approval["id"], {}, actor=as_supervisor)
