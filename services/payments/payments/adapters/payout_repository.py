"""Payouts and batches in the database; rows become domain objects and back, in bulk."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

import sqlalchemy as sa

from reintegra.money import Money

from payments.adapters.exchange_rate_repository import PayoutTerms, terms_of
from payments.adapters.tables import payout_batches, payouts
from payments.domain.payouts import Payout, PayoutStatus

_CHUNK = 500


def now() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=timezone.utc)


class StoredPayout(Payout):
    """A payout with the columns the engine needs besides the domain's."""
    programme_id: str
    reservation_id: str
    claimed_until: datetime | None
    collection: dict | None
    terms: PayoutTerms  # currency, rate and voucher expiry fixed at release


def to_payout(row) -> StoredPayout:
    payout = StoredPayout(
        id=row.id, instalment_id=row.instalment_id, case_id=row.case_id, payee_id=row.payee_id,
        route=row.route, amount=Money(row.amount, row.currency), sequence=row.sequence,
        idempotency_key=row.idempotency_key, status=PayoutStatus(row.status),
        batch_id=row.batch_id, provider_reference=row.provider_reference,
        attempts=row.attempts, failure_reason=row.failure_reason, rerouted_to=row.rerouted_to)
    payout.programme_id = row.programme_id
    payout.reservation_id = row.reservation_id
    payout.claimed_until = aware(row.claimed_until)
    payout.collection = row.collection
    payout.terms = terms_of(row)
    return payout


class PayoutRepository:
    def __init__(self, session):
        self.session = session

    def by_ids(self, ids: Iterable[str], lock: bool = False) -> list[StoredPayout]:
        found = []
        ordered = sorted(set(ids))
        for start in range(0, len(ordered), _CHUNK):
            query = sa.select(payouts).where(payouts.c.id.in_(ordered[start:start + _CHUNK]))
            found += [to_payout(r) for r in self.session.execute(self._locked(query, lock))]
        return found

    def where(self, *conditions, limit: int, lock: bool = False) -> list[StoredPayout]:
        query = (sa.select(payouts).where(*conditions)
                 .order_by(payouts.c.next_attempt_at, payouts.c.id).limit(limit))
        return [to_payout(r) for r in self.session.execute(self._locked(query, lock))]

    def of_instalments(self, instalment_ids: Iterable[str]) -> dict[str, list[StoredPayout]]:
        found: dict[str, list[StoredPayout]] = {}
        ordered = sorted(set(instalment_ids))
        for start in range(0, len(ordered), _CHUNK):
            rows = self.session.execute(sa.select(payouts).where(
                payouts.c.instalment_id.in_(ordered[start:start + _CHUNK]))
                .order_by(payouts.c.sequence))
            for row in rows:
                found.setdefault(row.instalment_id, []).append(to_payout(row))
        return found

    def add(self, new_payouts: list[StoredPayout]) -> None:
        at = now()
        rows = [dict(id=p.id, instalment_id=p.instalment_id, case_id=p.case_id,
                     programme_id=p.programme_id, reservation_id=p.reservation_id,
                     batch_id=p.batch_id, payee_id=p.payee_id, route=p.route,
                     amount=p.amount.amount, currency=p.amount.currency, sequence=p.sequence,
                     idempotency_key=p.idempotency_key, status=p.status.value,
                     attempts=p.attempts, next_attempt_at=None, updated_at=at)
                for p in new_payouts]
        for start in range(0, len(rows), 5000):
            self.session.execute(payouts.insert(), rows[start:start + 5000])

    def save(self, changed: list[StoredPayout], next_attempt_at: dict[str, datetime | None]) -> None:
        """Write back status, attempts, lease and when to look at each payout again."""
        if not changed:
            return
        at = now()
        self.session.execute(payouts.update().where(payouts.c.id == sa.bindparam("k_id")).values(
            status=sa.bindparam("new_status"), attempts=sa.bindparam("new_attempts"),
            provider_reference=sa.bindparam("new_reference"),
            failure_reason=sa.bindparam("new_reason"), rerouted_to=sa.bindparam("new_rerouted"),
            collection=sa.bindparam("new_collection"),
            claimed_until=sa.bindparam("new_claimed_until"),
            next_attempt_at=sa.bindparam("new_next"), updated_at=at), [
            dict(k_id=p.id, new_status=p.status.value, new_attempts=p.attempts,
                 new_reference=p.provider_reference, new_reason=p.failure_reason,
                 new_rerouted=p.rerouted_to, new_collection=p.collection,
                 new_claimed_until=p.claimed_until, new_next=next_attempt_at.get(p.id))
            for p in changed])

    def progress(self, batch_id: str) -> dict[str, int]:
        rows = self.session.execute(sa.select(payouts.c.status, sa.func.count()).where(
            payouts.c.batch_id == batch_id).group_by(payouts.c.status)).all()
        return {status: count for status, count in rows}

    def batch(self, batch_id: str, lock: bool = False):
        query = sa.select(payout_batches).where(payout_batches.c.id == batch_id)
        return self.session.execute(self._locked(query, lock)).first()

    def _locked(self, query, lock: bool):
        if lock and self.session.bind.dialect.name == "postgresql":
            return query.with_for_update()
        return query
