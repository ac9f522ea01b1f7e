"""Payout batches with maker-checker: one finance officer prepares, another releases."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from collections import Counter
from typing import Iterable, Mapping

from .payouts import FINAL, SPENT, Payout, PayoutStatus, UnknownPayout, is_ahead


class BatchStatus(str, enum.Enum):
    PREPARED = "prepared"
    RELEASED = "released"
    COMPLETED = "completed"


class BatchError(Exception):
    pass


class EmptyBatch(BatchError):
    pass


class SeparationOfDutiesViolation(BatchError):
    def __init__(self, officer_id: str):
        super().__init__("a batch must be released by another officer than the one who prepared it")
        self.officer_id = officer_id


class BatchAlreadyReleased(BatchError):
    def __init__(self, state: "BatchProgress"):
        super().__init__(f"batch already {state.status.value}")
        self.state = state


@dataclass(frozen=True)
class BatchProgress:
    """Counts by where each payout is: pending (not yet with the provider), submitted (with
    the provider, outcome unknown), paid, failed (including failures re-routed or returned)."""
    status: BatchStatus
    total: int
    pending: int
    submitted: int
    paid: int
    failed: int


@dataclass
class PayoutBatch:
    id: str
    programme_id: str
    prepared_by: str
    payout_statuses: dict[str, PayoutStatus]
    status: BatchStatus = BatchStatus.PREPARED
    released_by: str | None = None
    events: list = field(default_factory=list, compare=False)

    @classmethod
    def prepare(cls, batch_id: str, programme_id: str, prepared_by: str,
                payouts: Iterable[Payout]) -> "PayoutBatch":
        """A batch of freshly prepared payouts (one per due instalment, normally)."""
        statuses = {payout.id: payout.status for payout in payouts}
        if not statuses:
            raise EmptyBatch(f"no payouts to put in batch {batch_id}")
        return cls(batch_id, programme_id, prepared_by, statuses)

    def release(self, officer_id: str) -> None:
        if officer_id == self.prepared_by:
            raise SeparationOfDutiesViolation(officer_id)
        if self.status is not BatchStatus.PREPARED:
            raise BatchAlreadyReleased(self.progress())
        self.status = BatchStatus.RELEASED
        self.released_by = officer_id

    def record(self, payout_id: str, status: PayoutStatus) -> bool:
        """Follow one payout's progress; stale or repeated reports change nothing."""
        if payout_id not in self.payout_statuses:
            raise UnknownPayout(payout_id)
        if not is_ahead(self.payout_statuses[payout_id], status):
            return False
        self.payout_statuses[payout_id] = status
        if self.status is BatchStatus.RELEASED and set(self.payout_statuses.values()) <= FINAL:
            self.status = BatchStatus.COMPLETED
        return True

    def progress(self) -> BatchProgress:
        return progress_of(self.status, Counter(s.value for s in self.payout_statuses.values()))


def progress_of(status: BatchStatus, counts: Mapping[str, int]) -> BatchProgress:
    """A batch's progress from how many of its payouts are in each status (by status value)."""
    total = sum(counts.values())
    submitted = counts.get(PayoutStatus.SUBMITTED.value, 0)
    paid = counts.get(PayoutStatus.PAID.value, 0)
    failed = sum(counts.get(s.value, 0) for s in SPENT)
    return BatchProgress(status, total, total - submitted - paid - failed, submitted, paid, failed)


def all_ended(counts: Mapping[str, int]) -> bool:
    """Whether every payout counted (by status value) has ended: a released batch is then
    completed."""
    return sum(counts.get(s.value, 0) for s in FINAL) == sum(counts.values())

