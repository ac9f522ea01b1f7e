import pytest
from reintegra.money import Money

from payments.domain.instalments import (CannotRevise, ExceedsCap, IllegalInstalmentTransition,
                                         InstalmentStatus, InvalidSplit, OverPayment,
                                         Revision, cancel_unpaid, instalment_id_for, revise,
                                         schedule_for_plan)

CAP = Money(200_000, "EUR")


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def schedule(total: int = 200_000, split=(50, 50)):
    return schedule_for_plan("plan-1", "case-1", "P1", eur(total), list(split), CAP)


def amounts(plan):
    return [i.amount.amount for i in plan.instalments]


def pay_in_full(plan, number):
    instalment = plan.instalment(number)
    if instalment.status is InstalmentStatus.SCHEDULED:
        instalment.mark_due()
    instalment.start_paying()
    instalment.record_paid(instalment.unpaid)


# Creating a schedule ------------------------------------------------------------------------

def test_the_default_split_pays_half_and_half_with_the_odd_cent_in_the_last_instalment():
    plan = schedule(199_999)
    assert amounts(plan) == [99_999, 100_000]
    assert [i.number for i in plan.instalments] == [1, 2]
    assert plan.total == eur(199_999)


def test_an_uneven_split_still_sums_exactly_to_the_plan_total():
    assert amounts(schedule(100_001, (30, 70))) == [30_000, 70_001]


def test_refuses_a_plan_one_cent_over_the_cap():
    with pytest.raises(ExceedsCap) as refusal:
        schedule(200_001)
    assert refusal.value.cap == CAP


@pytest.mark.parametrize("split", [[50, 40], [100, 0], [], [120, -20]])
def test_refuses_a_split_that_is_not_positive_percentages_summing_to_100(split):
    with pytest.raises(InvalidSplit):
        schedule(100_000, split)


def test_refuses_a_total_too_small_to_give_every_instalment_something():
    with pytest.raises(InvalidSplit):
        schedule(1)


def test_instalment_ids_are_stable_for_a_plan_and_number():
    assert [i.id for i in schedule().instalments] == [instalment_id_for("plan-1", 1),
                                                      instalment_id_for("plan-1", 2)]
    assert instalment_id_for("plan-1", 1) != instalment_id_for("plan-2", 1)


# Paying -------------------------------------------------------------------------------------

def test_a_paid_instalment_no_longer_needs_its_reservation():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    assert plan.instalment(1).status is InstalmentStatus.PAID
    assert (plan.paid, plan.outstanding) == (eur(100_000), eur(100_000))


def test_a_partial_payment_leaves_the_rest_of_the_instalment_due():
    instalment = schedule(200_000).instalment(1)
    instalment.mark_due()
    instalment.start_paying()
    instalment.record_paid(eur(30_000))
    assert (instalment.status, instalment.unpaid) == (InstalmentStatus.DUE, eur(70_000))


def test_refuses_to_record_more_paid_than_the_instalment_still_owes():
    instalment = schedule(200_000).instalment(1)
    instalment.mark_due()
    instalment.start_paying()
    with pytest.raises(OverPayment):
        instalment.record_paid(eur(100_001))


def test_a_failed_payout_puts_the_instalment_back_to_due():
    instalment = schedule(200_000).instalment(1)
    instalment.mark_due()
    instalment.start_paying()
    instalment.payout_failed()
    assert instalment.status is InstalmentStatus.DUE


def test_an_instalment_that_is_not_due_cannot_be_put_in_payment_or_paid():
    instalment = schedule(200_000).instalment(2)
    with pytest.raises(IllegalInstalmentTransition):
        instalment.start_paying()
    with pytest.raises(IllegalInstalmentTransition):
        instalment.record_paid(eur(1))


# Revisions ----------------------------------------------------------------------------------

def test_raising_the_total_spreads_it_over_unpaid_instalments_and_asks_for_more_reservation():
    plan = schedule(150_000)
    assert revise(plan, eur(180_001)) == Revision(to_reserve=eur(30_001), to_release=eur(0))
    assert amounts(plan) == [90_000, 90_001]


def test_lowering_the_total_asks_to_release_the_difference():
    plan = schedule(150_000)
    assert revise(plan, eur(100_000)) == Revision(to_reserve=eur(0), to_release=eur(50_000))
    assert plan.outstanding == eur(100_000)


def test_a_revision_never_changes_a_paid_instalment():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    revise(plan, eur(150_000))
    assert amounts(plan) == [100_000, 50_000]


def test_a_revision_never_changes_an_instalment_being_paid():
    plan = schedule(200_000)
    plan.instalment(1).mark_due()
    plan.instalment(1).start_paying()
    revise(plan, eur(120_000))
    assert amounts(plan) == [100_000, 20_000]


def test_refuses_a_revision_below_what_was_already_paid():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    with pytest.raises(CannotRevise) as refusal:
        revise(plan, eur(99_999))
    assert refusal.value.committed == eur(100_000)
    assert amounts(plan) == [100_000, 100_000]


def test_refuses_a_revision_over_the_cap():
    plan = schedule(200_000)
    with pytest.raises(ExceedsCap):
        revise(plan, eur(200_001))


def test_revising_down_to_what_was_paid_cancels_the_rest():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    assert revise(plan, eur(100_000)).to_release == eur(100_000)
    assert plan.instalment(2).status is InstalmentStatus.CANCELLED
    assert plan.total == plan.paid == eur(100_000)


def test_refuses_to_raise_a_total_when_nothing_is_left_unpaid():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    revise(plan, eur(100_000))
    with pytest.raises(CannotRevise):
        revise(plan, eur(150_000))


def test_a_revision_to_the_same_total_changes_nothing():
    plan = schedule(150_000)
    assert revise(plan, eur(150_000)) == Revision(eur(0), eur(0))
    assert amounts(plan) == [75_000, 75_000]


# Cancellation -------------------------------------------------------------------------------

def test_a_withdrawal_cancels_every_unpaid_instalment_and_releases_their_money():
    plan = schedule(200_000)
    plan.instalment(1).mark_due()
    cancellation = cancel_unpaid(plan)
    assert cancellation.cancelled == [1, 2]
    assert cancellation.to_release == eur(200_000)
    assert plan.outstanding == eur(0)


def test_a_cancellation_releases_only_what_was_not_paid():
    plan = schedule(200_000)
    pay_in_full(plan, 1)
    plan.instalment(2).mark_due()
    plan.instalment(2).start_paying()
    plan.instalment(2).record_paid(eur(40_000))
    cancellation = cancel_unpaid(plan)
    assert (cancellation.cancelled, cancellation.to_release) == ([2], eur(60_000))
    assert plan.total == plan.paid == eur(140_000)


def test_a_cancellation_leaves_an_instalment_whose_payout_is_with_the_provider():
    plan = schedule(200_000)
    plan.instalment(1).mark_due()
    plan.instalment(1).start_paying()
    cancellation = cancel_unpaid(plan)
    assert (cancellation.cancelled, cancellation.still_paying) == ([2], [1])
    assert cancellation.to_release == eur(100_000)
    assert plan.instalment(1).status is InstalmentStatus.PAYING


def test_a_withdrawn_case_cannot_be_revised():
    plan = schedule(200_000)
    cancel_unpaid(plan)
    with pytest.raises(CannotRevise):
        revise(plan, eur(150_000))


def test_cancelling_again_after_the_last_payout_failed_releases_what_it_held_back():
    plan = schedule(200_000)
    plan.instalment(1).mark_due()
    plan.instalment(1).start_paying()
    cancel_unpaid(plan)
    plan.instalment(1).payout_failed()
    again = cancel_unpaid(plan)
    assert (again.cancelled, again.to_release, again.still_paying) == ([1], eur(100_000), [])
    assert cancel_unpaid(plan).to_release == eur(0)
    assert plan.outstanding == eur(0)
