import pytest
from reintegra.money import Money

from payments.domain.events import PayoutFailed, PayoutPaid, PayoutReleased
from payments.domain.instalments import OverPayment
from payments.domain.payouts import (IllegalPayoutTransition, InstalmentPayouts, PayoutStatus,
                                     UnknownPayout, idempotency_key_for, is_ahead)

S = PayoutStatus


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def instalment_payouts(amount: int = 100_000) -> InstalmentPayouts:
    return InstalmentPayouts("inst-1", "case-1", eur(amount))


def released(payouts: InstalmentPayouts | None = None, amount: Money | None = None):
    payouts = payouts or instalment_payouts()
    payout = payouts.prepare("payee-1", "mobile_money", amount)
    payout.release("batch-1")
    return payout


def failed(payouts: InstalmentPayouts):
    payout = released(payouts)
    payout.apply_provider_status(S.FAILED, failure_reason="wallet_closed")
    return payout


# Idempotency keys ---------------------------------------------------------------------------

def test_the_idempotency_key_is_the_same_for_every_retry_of_a_payout():
    first = instalment_payouts().prepare("payee-1", "mobile_money")
    again = instalment_payouts().prepare("payee-1", "mobile_money")
    assert first.idempotency_key == again.idempotency_key == idempotency_key_for("inst-1", 1)
    assert first.id == again.id
    assert len(first.idempotency_key) == 64


def test_a_rerouted_payout_gets_a_new_key_because_it_is_a_new_payment():
    payouts = instalment_payouts()
    replacement = payouts.reroute(failed(payouts).id, "cash_pickup")
    assert replacement.sequence == 2
    assert replacement.idempotency_key == idempotency_key_for("inst-1", 2)
    assert replacement.idempotency_key != payouts.payouts[0].idempotency_key


def test_each_provider_call_is_counted_and_sends_the_same_key():
    payout = released()
    keys = {payout.record_attempt() for _ in range(3)}
    assert keys == {payout.idempotency_key}
    assert payout.attempts == 3


def test_a_payout_is_only_sent_to_the_provider_once_released_and_until_it_answers():
    payouts = instalment_payouts()
    with pytest.raises(IllegalPayoutTransition):
        payouts.prepare("payee-1", "mobile_money", eur(50_000)).record_attempt()
    payout = released(payouts, eur(50_000))
    payout.apply_provider_status(S.SUBMITTED, provider_reference="tx-1")
    with pytest.raises(IllegalPayoutTransition):
        payout.record_attempt()


# Lifecycle ----------------------------------------------------------------------------------

def test_a_payout_goes_from_prepared_to_paid_announcing_release_and_payment():
    payout = released()
    assert payout.apply_provider_status(S.SUBMITTED, provider_reference="tx-1")
    assert payout.apply_provider_status(S.PAID)
    assert payout.status is S.PAID and payout.provider_reference == "tx-1"
    common = dict(payout_id=payout.id, instalment_id="inst-1", case_id="case-1",
                  route="mobile_money", amount=eur(100_000))
    assert payout.events == [PayoutReleased(batch_id="batch-1", **common), PayoutPaid(**common)]


def test_releasing_twice_is_a_no_op():
    payout = released()
    assert payout.release("batch-2") is False
    assert payout.batch_id == "batch-1"
    assert len(payout.events) == 1


def test_a_provider_may_report_the_outcome_before_the_submission_was_recorded():
    payout = released()
    assert payout.apply_provider_status(S.PAID, provider_reference="tx-1")
    assert payout.status is S.PAID


@pytest.mark.parametrize("late", [S.SUBMITTED, S.PAID, S.FAILED])
def test_a_late_or_repeated_report_after_payment_changes_nothing(late):
    payout = released()
    payout.apply_provider_status(S.PAID, provider_reference="tx-1")
    events = list(payout.events)
    assert payout.apply_provider_status(late, provider_reference="tx-2") is False
    assert (payout.status, payout.provider_reference, payout.events) == (S.PAID, "tx-1", events)


def test_a_payment_report_after_a_failure_changes_nothing():
    payouts = instalment_payouts()
    payout = failed(payouts)
    assert payout.apply_provider_status(S.PAID) is False
    assert payout.status is S.FAILED
    assert payout.events[-1] == PayoutFailed(payout_id=payout.id, instalment_id="inst-1",
                                             case_id="case-1", route="mobile_money",
                                             amount=eur(100_000), reason="wallet_closed")


def test_a_provider_cannot_move_a_payout_nobody_released():
    payout = instalment_payouts().prepare("payee-1", "mobile_money")
    assert payout.apply_provider_status(S.PAID) is False
    assert payout.apply_provider_status(S.RELEASED) is False
    assert payout.status is S.PREPARED


def test_the_forward_path_never_leads_back():
    assert is_ahead(S.PREPARED, S.PAID)
    assert is_ahead(S.RELEASED, S.RETURNED)
    assert not is_ahead(S.PAID, S.SUBMITTED)
    assert not is_ahead(S.SUBMITTED, S.SUBMITTED)
    assert not is_ahead(S.FAILED, S.PAID)


# Held for payee review ----------------------------------------------------------------------

def test_a_released_payout_can_be_held_before_the_provider_is_asked():
    payout = released()
    payout.events.clear()
    assert payout.hold() is True
    assert payout.status is S.HELD and payout.events == []


def test_only_a_released_payout_can_be_held():
    payout = released()
    payout.apply_provider_status(S.SUBMITTED)
    assert payout.hold() is False
    assert payout.status is S.SUBMITTED
    assert instalment_payouts().prepare("payee-1", "mobile_money").hold() is False


def test_a_released_hold_sends_the_payout_back_to_the_runner_with_the_same_key():
    payout = released()
    key = payout.idempotency_key
    payout.hold()
    payout.resume()
    assert payout.status is S.RELEASED and payout.idempotency_key == key


def test_only_a_held_payout_can_be_resumed():
    payout = released()
    with pytest.raises(IllegalPayoutTransition):
        payout.resume()
    prepared = instalment_payouts().prepare("payee-1", "mobile_money")
    with pytest.raises(IllegalPayoutTransition):
        prepared.resume()
    assert prepared.status is S.PREPARED


def test_a_rejected_hold_fails_the_payout_with_the_holder_mismatch_reason():
    payout = released()
    payout.hold()
    assert payout.apply_provider_status(S.FAILED, failure_reason="account_holder_mismatch")
    assert payout.status is S.FAILED and payout.failure_reason == "account_holder_mismatch"
    assert isinstance(payout.events[-1], PayoutFailed)


def test_what_the_provider_says_still_moves_a_held_payout_an_earlier_attempt_reached():
    payout = released()
    payout.hold()
    assert payout.apply_provider_status(S.PAID, "tr_1") is True
    assert payout.status is S.PAID


def test_a_held_payout_is_ahead_of_released_and_never_behind_it():
    assert is_ahead(S.RELEASED, S.HELD)
    assert is_ahead(S.HELD, S.PAID)
    assert not is_ahead(S.HELD, S.RELEASED)
    assert not is_ahead(S.HELD, S.HELD)


# Never more than the instalment -------------------------------------------------------------

def test_an_instalment_may_be_paid_in_parts_but_never_beyond_its_amount():
    payouts = instalment_payouts()
    payouts.prepare("supplier-1", "supplier", eur(60_000))
    payouts.prepare("payee-1", "mobile_money", eur(40_000))
    with pytest.raises(OverPayment):
        payouts.prepare("payee-1", "mobile_money", eur(1))
    assert payouts.uncommitted == eur(0)


def test_refuses_a_payout_of_nothing():
    with pytest.raises(ValueError):
        instalment_payouts().prepare("payee-1", "mobile_money", eur(0))


def test_a_failed_payout_no_longer_counts_against_the_instalment():
    payouts = instalment_payouts()
    failed(payouts)
    assert payouts.committed == eur(0)
    assert payouts.prepare("payee-1", "cash_pickup").amount == eur(100_000)


def test_rerouting_pays_the_same_money_again_by_another_route():
    payouts = instalment_payouts()
    original = failed(payouts)
    replacement = payouts.reroute(original.id, "cash_pickup", payee_id="payee-2")
    assert (original.status, original.rerouted_to) == (S.REROUTED, replacement.id)
    assert (replacement.amount, replacement.route, replacement.payee_id) == (
        eur(100_000), "cash_pickup", "payee-2")
    assert payouts.committed == eur(100_000)


def test_a_repeated_reroute_returns_the_same_replacement():
    payouts = instalment_payouts()
    original = failed(payouts)
    first = payouts.reroute(original.id, "cash_pickup")
    assert payouts.reroute(original.id, "cash_pickup") is first
    assert len(payouts.payouts) == 2


def test_a_reroute_cannot_pay_twice_money_already_given_to_another_payout():
    payouts = instalment_payouts()
    original = failed(payouts)
    payouts.prepare("payee-1", "bank_account")
    with pytest.raises(OverPayment):
        payouts.reroute(original.id, "cash_pickup")
    assert original.status is S.FAILED


def test_only_a_failed_payout_can_be_rerouted_or_returned():
    payouts = instalment_payouts()
    payout = released(payouts)
    payout.apply_provider_status(S.PAID)
    with pytest.raises(IllegalPayoutTransition):
        payouts.reroute(payout.id, "cash_pickup")
    with pytest.raises(IllegalPayoutTransition):
        payouts.return_to_reservation(payout.id)


def test_returning_a_failed_payout_to_the_reservation_is_idempotent():
    payouts = instalment_payouts()
    payout = failed(payouts)
    assert payouts.return_to_reservation(payout.id) is True
    assert payouts.return_to_reservation(payout.id) is False
    assert payout.status is S.RETURNED
    with pytest.raises(IllegalPayoutTransition):
        payouts.reroute(payout.id, "cash_pickup")


def test_paid_counts_only_payouts_the_provider_confirmed():
    payouts = instalment_payouts()
    released(payouts, eur(30_000)).apply_provider_status(S.PAID)
    released(payouts, eur(70_000))
    assert (payouts.paid, payouts.committed) == (eur(30_000), eur(100_000))


def test_an_unknown_payout_is_reported():
    with pytest.raises(UnknownPayout):
        instalment_payouts().get("nope")


# Withdrawn before release -------------------------------------------------------------------

def test_a_prepared_payout_of_a_cancelled_plan_is_withdrawn_as_failed_and_announced():
    payouts = instalment_payouts()
    payout = payouts.prepare("payee-1", "mobile_money")

    assert payout.withdraw() is True
    assert (payout.status, payout.failure_reason) == (S.FAILED, "withdrawn_before_release")
    assert [type(e) for e in payout.events] == [PayoutFailed]
    assert payouts.uncommitted == eur(100_000)  # its money no longer held by it
    assert payout.withdraw() is False  # once


def test_a_payout_already_released_is_not_withdrawn_its_outcome_decides():
    payout = released()
    payout.events.clear()

    assert payout.withdraw() is False
    assert payout.status is S.RELEASED and payout.events == []


def test_no_provider_report_takes_a_prepared_payout_to_failed():
    payout = instalment_payouts().prepare("payee-1", "mobile_money")
    assert payout.apply_provider_status(S.FAILED, failure_reason="x") is False
    assert payout.status is S.PREPARED
