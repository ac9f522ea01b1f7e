"""The approval saga's intents and the releases owed to payments, in plans' database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from reintegra.money import Money

from plans.adapters.tables import approval_intents, budget_releases

PENDING, COMPLETED, REFUSED, COMPENSATING, COMPENSATED = (
    "pending", "completed", "refused", "compensating", "compensated")


@dataclass(frozen=True)
class ApprovalIntent:
    """One attempt at approving a version that needs a reservation."""
    operation_id: str
    plan_id: str
    version: int
    attempt: int
    programme_id: str
    case_id: str
    reference: str
    amount: Money
    approver_id: str
    state: str
    created_at: datetime


@dataclass(frozen=True)
class OwedRelease:
    operation_id: str
    programme_id: str
    reference: str
    amount: Money | None       # None: everything the reference still holds free
    currency: str


class ApprovalIntents:
    def __init__(self, session):
        self.session = session

    def get(self, operation_id: str) -> ApprovalIntent | None:
        row = self.session.execute(sa.select(approval_intents).where(
            approval_intents.c.operation_id == operation_id)).first()
        return _intent(row) if row else None

    def unsettled_for(self, plan_id: str) -> ApprovalIntent | None:
        row = self.session.execute(sa.select(approval_intents).where(
            approval_intents.c.plan_id == plan_id,
            approval_intents.c.state.in_((PENDING, COMPENSATING)))).first()
        return _intent(row) if row else None

    def attempts(self, plan_id: str, version: int) -> int:
        return self.session.execute(sa.select(sa.func.count()).select_from(approval_intents)
                                    .where(approval_intents.c.plan_id == plan_id,
                                           approval_intents.c.version == version)).scalar_one()

    def to_recover(self, pending_before: datetime) -> list[ApprovalIntent]:
        """Pending ones older than `pending_before`, and any whose compensation was cut short."""
        rows = self.session.execute(sa.select(approval_intents).where(sa.or_(
            sa.and_(approval_intents.c.state == PENDING,
                    approval_intents.c.created_at < pending_before),
            approval_intents.c.state == COMPENSATING))
            .order_by(approval_intents.c.created_at)).all()
        return [_intent(row) for row in rows]

    def add(self, intent: ApprovalIntent) -> None:
        self.session.execute(approval_intents.insert().values(
            operation_id=intent.operation_id, plan_id=intent.plan_id, version=intent.version,
            attempt=intent.attempt, programme_id=intent.programme_id, case_id=intent.case_id,
            reference=intent.reference, amount=intent.amount.amount,
            currency=intent.amount.currency, approver_id=intent.approver_id,
            state=intent.state, created_at=intent.created_at))

    def settle(self, operation_id: str, state: str, at: datetime) -> None:
        self.session.execute(approval_intents.update().where(
            approval_intents.c.operation_id == operation_id).values(
            state=state, settled_at=None if state == COMPENSATING else at))


class OwedReleases:
    def __init__(self, session):
        self.session = session

    def add(self, release: OwedRelease, at: datetime) -> None:
        """Owe a release once: the same operation recorded again (a redelivery) is ignored."""
        exists = self.session.execute(sa.select(budget_releases.c.operation_id).where(
            budget_releases.c.operation_id == release.operation_id)).first()
        if exists:
            return
        self.session.execute(budget_releases.insert().values(
            operation_id=release.operation_id, programme_id=release.programme_id,
            reference=release.reference, currency=release.currency, created_at=at,
            amount=release.amount.amount if release.amount is not None else None))

    def unsent(self) -> list[OwedRelease]:
        rows = self.session.execute(sa.select(budget_releases).where(
            budget_releases.c.sent_at.is_(None)).order_by(budget_releases.c.created_at)).all()
        return [OwedRelease(r.operation_id, r.programme_id, r.reference,
                            Money(r.amount, r.currency) if r.amount is not None else None,
                            r.currency) for r in rows]

    def mark_sent(self, operation_id: str, released: Money, at: datetime) -> None:
        self.session.execute(budget_releases.update().where(
            budget_releases.c.operation_id == operation_id).values(
            sent_at=at, released=released.amount))


def _intent(row) -> ApprovalIntent:
    return ApprovalIntent(row.operation_id, row.plan_id, row.version, row.attempt,
                          row.programme_id, row.case_id, row.reference,
                          Money(row.amount, row.currency), row.approver_id, row.state,
                          row.created_at)
