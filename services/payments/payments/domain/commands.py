"""What the payments engine is asked to do. Data only; the handlers live in service_layer.

Commands that move money carry the caller's operation id, which makes them idempotent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from reintegra.money import Money

from .payouts import PayoutStatus


@dataclass(frozen=True)
class Command:
    pass


@dataclass(frozen=True)
class AllocateBudget(Command):
    operation_id: str
    programme_id: str
    budget: Mapping[str, Money]  # by funding source


@dataclass(frozen=True)
class ReserveBudget(Command):
    operation_id: str
    programme_id: str
    reservation_id: str
    amount: Money


@dataclass(frozen=True)
class ReleaseBudget(Command):
    operation_id: str
    programme_id: str
    reservation_id: str
    amount: Money


@dataclass(frozen=True)
class CreateSchedule(Command):
    plan_id: str
    case_id: str
    programme_id: str
    total: Money
    split: tuple[int, ...]
    cap: Money
    justification_threshold_percent: int


@dataclass(frozen=True)
class ReviseSchedule(Command):
    plan_id: str
    new_total: Money


@dataclass(frozen=True)
class CancelSchedule(Command):
    case_id: str


@dataclass(frozen=True)
class RecordArrival(Command):
    case_id: str


@dataclass(frozen=True)
class RecordJustifiedExpenses(Command):
    case_id: str
    instalment_id: str
    justified: Money


@dataclass(frozen=True)
class RecordMonitoringContact(Command):
    case_id: str
    contact_id: str


@dataclass(frozen=True)
class PreparePayoutBatch(Command):
    batch_id: str
    programme_id: str
    prepared_by: str


@dataclass(frozen=True)
class ReleasePayoutBatch(Command):
    batch_id: str
    released_by: str


@dataclass(frozen=True)
class SubmitPayout(Command):
    payout_id: str


@dataclass(frozen=True)
class ApplyProviderStatus(Command):
    payout_id: str
    status: PayoutStatus
    provider_reference: str | None = None
    failure_reason: str | None = None


@dataclass(frozen=True)
class ReroutePayout(Command):
    payout_id: str
    route: str
    payee_id: str | None = None


@dataclass(frozen=True)
class ReturnPayoutToReservation(Command):
    payout_id: str
