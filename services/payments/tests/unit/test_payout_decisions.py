"""Finance decisions on failed payouts (payments.domain.payout_decisions)."""
import pytest

from reintegra.money import Money

from payments.domain.instalments import Instalment, InstalmentStatus
from payments.domain.payout_decisions import (Decision, RuleBroken, WrongState, check_open,
                                              check_reroutable, close_instalment)
from payments.domain.payouts import InstalmentPayouts, PayoutStatus


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


@pytest.fixture
def failed():
    """Instalment i1 of EUR 750 whose mobile-money payout failed: (payouts, the failed one)."""
    group = InstalmentPayouts("i1", "case-1", eur(75_000))
    payout = group.prepare(payee_id="case-1", route="mobile_money")
    payout.release("b1")
    payout.apply_provider_status(PayoutStatus.FAILED, failure_reason="payee_not_found")
    return group, payout


def due_instalment(status=InstalmentStatus.DUE) -> Instalment:
    return Instalment("i1", 1, eur(75_000), 50, eur(0), status)


REROUTE = Decision("rerouted", "cash_pickup")


def test_a_failed_payout_is_open_to_a_decision(failed):
    group, payout = failed
    assert check_open(group, payout.id, REROUTE, earlier=None) is True


def test_the_same_decision_again_is_a_no_op_and_another_one_a_conflict(failed):
    group, payout = failed
    group.reroute(payout.id, "cash_pickup")
    assert check_open(group, payout.id, REROUTE, earlier=REROUTE) is False
    with pytest.raises(WrongState, match="already rerouted"):
        check_open(group, payout.id, Decision("returned"), earlier=REROUTE)


def test_a_payout_that_did_not_fail_is_in_the_wrong_state_for_a_decision():
    group = InstalmentPayouts("i1", "case-1", eur(75_000))
    paid = group.prepare(payee_id="case-1", route="mobile_money")
    paid.release("b1")
    paid.apply_provider_status(PayoutStatus.PAID)
    with pytest.raises(WrongState, match="is paid, not failed") as refused:
        check_open(group, paid.id, REROUTE, earlier=None)
    assert refused.value.payout is paid


def test_a_failed_payout_already_re_paid_by_a_later_batch_refuses_any_decision(failed):
    group, payout = failed
    later = group.prepare(payee_id="case-1", route="mobile_money")  # the next batch's payout
    for decision in (REROUTE, Decision("returned", release_budget=True)):
        with pytest.raises(WrongState, match=f"re-paid by payout {later.id}"):
            check_open(group, payout.id, decision, earlier=None)


def test_a_re_route_needs_the_case_payout_method_on_that_route(failed):
    _, payout = failed
    with pytest.raises(RuleBroken, match="payout method is mobile_money"):
        check_reroutable(due_instalment(), payout, "mobile_money", "cash_pickup")
    check_reroutable(due_instalment(), payout, "cash_pickup", "cash_pickup")


def test_the_same_route_may_be_taken_again_once_the_details_are_corrected(failed):
    _, payout = failed
    check_reroutable(due_instalment(), payout, "mobile_money", "mobile_money")


def test_nothing_is_re_routed_for_a_cancelled_instalment(failed):
    _, payout = failed
    with pytest.raises(RuleBroken, match="cancelled"):
        check_reroutable(due_instalment(InstalmentStatus.CANCELLED), payout, "cash_pickup",
                         "cash_pickup")


def test_a_payout_to_a_supplier_is_not_re_routed_to_the_beneficiary_method():
    group = InstalmentPayouts("i1", "case-1", eur(75_000))
    payout = group.prepare(payee_id="supplier-9", route="mobile_money")
    with pytest.raises(RuleBroken, match="supplier"):
        check_reroutable(due_instalment(), payout, "cash_pickup", "cash_pickup")


def test_re_routing_prepares_the_same_money_under_a_new_idempotency_key(failed):
    group, payout = failed
    replacement = group.reroute(payout.id, "cash_pickup")
    assert payout.status is PayoutStatus.REROUTED and payout.rerouted_to == replacement.id
    assert (replacement.amount, replacement.route, replacement.sequence) == (
        eur(75_000), "cash_pickup", 2)
    assert replacement.idempotency_key != payout.idempotency_key
    assert group.committed == eur(75_000)


def test_returning_with_release_closes_the_instalment_and_gives_what_it_left_unpaid(failed):
    _, payout = failed
    instalment = due_instalment()
    assert close_instalment(instalment, payout) == eur(75_000)
    assert instalment.status is InstalmentStatus.CANCELLED


def test_an_instalment_cancelled_already_has_nothing_left_to_release(failed):
    _, payout = failed
    assert close_instalment(due_instalment(InstalmentStatus.CANCELLED), payout) is None


def test_an_instalment_with_another_payout_on_its_way_is_not_closed(failed):
    _, payout = failed
    with pytest.raises(WrongState, match="on its way"):
        close_instalment(due_instalment(InstalmentStatus.PAYING), payout)
