import pytest
from reintegra.money import Money

from payments.domain.batches import (BatchAlreadyReleased, BatchProgress, BatchStatus,
                                     EmptyBatch, PayoutBatch, SeparationOfDutiesViolation)
from payments.domain.payouts import InstalmentPayouts, PayoutStatus, UnknownPayout

S = PayoutStatus


def batch_of(count: int) -> PayoutBatch:
    payouts = [InstalmentPayouts(f"inst-{n}", f"case-{n}", Money(100_000, "EUR"))
               .prepare(f"payee-{n}", "mobile_money") for n in range(count)]
    return PayoutBatch.prepare("batch-1", "P1", "officer-maker", payouts)


def ids(batch: PayoutBatch) -> list[str]:
    return list(batch.payout_statuses)


def test_a_prepared_batch_counts_its_payouts_as_pending():
    assert batch_of(3).progress() == BatchProgress(BatchStatus.PREPARED, total=3, pending=3,
                                                   submitted=0, paid=0, failed=0)


def test_a_batch_needs_at_least_one_payout():
    with pytest.raises(EmptyBatch):
        PayoutBatch.prepare("batch-1", "P1", "officer-maker", [])


def test_the_officer_who_prepared_a_batch_cannot_release_it():
    batch = batch_of(1)
    with pytest.raises(SeparationOfDutiesViolation):
        batch.release("officer-maker")
    assert batch.status is BatchStatus.PREPARED


def test_another_officer_releases_it():
    batch = batch_of(1)
    batch.release("officer-checker")
    assert (batch.status, batch.released_by) == (BatchStatus.RELEASED, "officer-checker")


def test_releasing_a_released_batch_is_refused_with_its_current_state():
    batch = batch_of(2)
    batch.release("officer-checker")
    batch.record(ids(batch)[0], S.PAID)
    with pytest.raises(BatchAlreadyReleased) as refusal:
        batch.release("officer-other")
    assert refusal.value.state.paid == 1
    assert refusal.value.state.status is BatchStatus.RELEASED
    assert batch.released_by == "officer-checker"


def test_progress_follows_each_payout_and_ignores_stale_or_repeated_reports():
    batch = batch_of(4)
    batch.release("officer-checker")
    first, second, third, _ = ids(batch)
    assert batch.record(first, S.SUBMITTED)
    assert batch.record(first, S.PAID)
    assert not batch.record(first, S.PAID)
    assert not batch.record(first, S.SUBMITTED)
    batch.record(second, S.SUBMITTED)
    batch.record(third, S.FAILED)
    batch.record(third, S.REROUTED)
    assert batch.progress() == BatchProgress(BatchStatus.RELEASED, total=4, pending=1,
                                             submitted=1, paid=1, failed=1)


def test_a_batch_completes_when_every_payout_has_a_final_outcome():
    batch = batch_of(2)
    batch.release("officer-checker")
    first, second = ids(batch)
    batch.record(first, S.PAID)
    assert batch.status is BatchStatus.RELEASED
    batch.record(second, S.FAILED)
    assert batch.status is BatchStatus.COMPLETED
    with pytest.raises(BatchAlreadyReleased):
        batch.release("officer-other")


def test_a_report_about_a_payout_outside_the_batch_is_refused():
    with pytest.raises(UnknownPayout):
        batch_of(1).record("stranger", S.PAID)
