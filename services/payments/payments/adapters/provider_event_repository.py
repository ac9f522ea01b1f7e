"""Provider events seen, and payout holds, in the database."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from payments.adapters.payout_repository import aware, now
from payments.adapters.provider_event_tables import payout_holds, provider_events
from payments.adapters.tables import payout_batches, payouts
from payments.domain.payees import HoldResolution, PayoutHold


def seen(session, event_id: str) -> dict | None:
    row = session.execute(sa.select(provider_events).where(
        provider_events.c.event_id == event_id)).first()
    return dict(row._mapping) if row else None


def remember(session, event_id: str, provider: str, event_type: str, created: datetime,
             object_id: str | None, payout_id: str | None, outcome: str, facts: dict) -> None:
    """Record an applied event (a concurrent delivery's record makes the commit fail)."""
    session.execute(provider_events.insert().values(
        event_id=event_id, provider=provider, type=event_type, object_id=object_id,
        payout_id=payout_id, outcome=outcome, facts=facts, created_at=created, received_at=now()))


class HoldRepository:
    def __init__(self, session):
        self.session = session

    def add(self, hold_id: str, hold: PayoutHold) -> None:
        self.session.execute(payout_holds.insert().values(
            id=hold_id, payout_id=hold.payout_id, provider_name=hold.provider_name,
            payee_name=hold.payee_name, held_at=hold.held_at))

    def get(self, hold_id: str, lock: bool = False) -> PayoutHold | None:
        query = sa.select(payout_holds).where(payout_holds.c.id == hold_id)
        if lock:
            query = query.with_for_update()  # SQLite's compiler leaves it out
        row = self.session.execute(query).first()
        return _hold(row) if row else None

    def save(self, hold_id: str, hold: PayoutHold) -> None:
        self.session.execute(payout_holds.update().where(payout_holds.c.id == hold_id).values(
            resolution=hold.resolution.value if hold.resolution else None,
            decided_by=hold.decided_by, decided_at=hold.decided_at, why=hold.why))

    def released_for(self, payout_ids: Iterable[str]) -> set[str]:
        """Which of these payouts a reviewer already released: they are not checked again."""
        ids = sorted(set(payout_ids))
        if not ids:
            return set()
        return set(self.session.execute(sa.select(payout_holds.c.payout_id).where(
            payout_holds.c.payout_id.in_(ids),
            payout_holds.c.resolution == HoldResolution.RELEASED.value)).scalars())

    def batch_preparer(self, payout_id: str) -> str | None:
        return self.session.execute(
            sa.select(payout_batches.c.prepared_by)
            .join(payouts, payouts.c.batch_id == payout_batches.c.id)
            .where(payouts.c.id == payout_id)).scalar_one_or_none()

    def pending(self, limit: int) -> list[dict]:
        """Undecided holds with their payout, oldest first."""
        rows = self.session.execute(
            sa.select(payout_holds, payouts.c.case_id, payouts.c.instalment_id, payouts.c.batch_id,
                      payouts.c.route, payouts.c.amount, payouts.c.currency,
                      payouts.c.status.label("payout_status"))
            .join(payouts, payouts.c.id == payout_holds.c.payout_id)
            .where(payout_holds.c.resolution.is_(None))
            .order_by(payout_holds.c.held_at).limit(limit))
        return [dict(row._mapping) for row in rows]


def _hold(row) -> PayoutHold:
    return PayoutHold(row.payout_id, row.provider_name, row.payee_name, aware(row.held_at),
                      HoldResolution(row.resolution) if row.resolution else None,
                      row.decided_by, aware(row.decided_at), row.why)
