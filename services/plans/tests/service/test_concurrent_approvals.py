"""Fifty supervisors' approvals race for a budget that covers twenty plans."""
import eventlet
from nameko.standalone.rpc import ServiceRpcProxy

from reintegra.contracts.errors import Conflict

PLANS, COVERED = 50, 20


def test_fifty_concurrent_approvals_for_a_budget_of_twenty_approve_exactly_twenty(
        start_plans, payments, programme, case_event, ready, submitted_plan, budget_of,
        service_config, plan_total, as_supervisor, call):
    plans = start_plans(max_workers=PLANS)
    programme("prog-1", plans_covered=COVERED)
    case_ids = [f"case-{n}" for n in range(PLANS)]
    for case_id in case_ids:
        case_event(case_id)
    ready(plans, payments, "prog-1", case_ids)
    plan_ids = [submitted_plan(plans, case_id)["id"] for case_id in case_ids]

    def approve(plan_id):
        # One proxy per green thread (a proxy must not be shared), through the real broker.
        with ServiceRpcProxy("plans", service_config, context_data=as_supervisor) as proxy:
            try:
                return "approved", proxy.approve_plan(plan_id, {})
            except Conflict as refused:
                return "refused", refused

    outcomes = list(eventlet.GreenPool(PLANS).imap(approve, plan_ids))

    approved = [answer for outcome, answer in outcomes if outcome == "approved"]
    refused = [answer for outcome, answer in outcomes if outcome == "refused"]
    assert (len(approved), len(refused)) == (COVERED, PLANS - COVERED)
    assert all(0 <= int(r.details["available"]["amount"]) < plan_total for r in refused)
    budget = budget_of(payments, "prog-1")
    assert budget["reserved"]["amount"] == COVERED * plan_total
    assert budget["available"]["amount"] == 0
    statuses = [call(plans, "get_plan", plan_id)["status"] for plan_id in plan_ids]
    assert sorted(statuses) == ["approved"] * COVERED + ["submitted"] * (PLANS - COVERED)
