"""Progress of running batches, kept current without anyone asking: the entrypoint's timer
counts the payouts of every released batch by state (for the batch gauge) and stores a batch
`completed`, with the time, once every payout of it has ended."""
from __future__ import annotations

import sqlalchemy as sa

from payments.adapters.payout_repository import now
from payments.adapters.tables import payout_batches, payouts
from payments.domain.batches import BatchStatus, all_ended, progress_of

STATES = ("pending", "submitted", "paid", "failed")


def progress_counts(statuses: dict[str, int]) -> dict[str, int]:
    """Counts by payout status → the batch view's states (as in GET /payout-batches/{id})."""
    progress = progress_of(BatchStatus.RELEASED, statuses)
    return {state: getattr(progress, state) for state in STATES}


def refresh_running(uow) -> dict[str, dict[str, int]]:
    """{batch id: counts} of the batches still running; those that just ended are marked
    completed (their final counts are returned too, once)."""
    running = list(uow.session.execute(sa.select(payout_batches.c.id).where(
        payout_batches.c.status == BatchStatus.RELEASED.value)).scalars())
    if not running:
        return {}
    by_batch: dict[str, dict[str, int]] = {batch_id: {} for batch_id in running}
    for batch_id, status, count in uow.session.execute(
            sa.select(payouts.c.batch_id, payouts.c.status, sa.func.count())
            .where(payouts.c.batch_id.in_(running))
            .group_by(payouts.c.batch_id, payouts.c.status)):
        by_batch[batch_id][status] = count
    ended = [batch_id for batch_id, statuses in by_batch.items() if all_ended(statuses)]
    if ended:
        uow.session.execute(payout_batches.update().where(
            payout_batches.c.id.in_(ended),
            payout_batches.c.status == BatchStatus.RELEASED.value).values(
            status=BatchStatus.COMPLETED.value, completed_at=now()))
    return {batch_id: progress_counts(statuses) for batch_id, statuses in by_batch.items()}
