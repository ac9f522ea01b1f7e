"""Payouts and batches in the database; rows become domain objects and back, in bulk."""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from reintegra.bulk import in_chunks, insert_many, update_many
from reintegra.messaging.storage import after_commit
from reintegra.money import Money

from payments import metrics
from payments.adapters.clock import aware, now
from payments.adapters.exchange_rate_repository import PayoutTerms, terms_of
from payments.adapters.tables import payout_batches, payouts
from payments.domain.payouts import Payout, PayoutStatus

__all__ = ["PayoutRepository", "StoredPayout", "aware", "now", "stored_payout", "to_payout"]


class StoredPayout(Payout):
    """A payout with the columns the engine needs besides the domain's."""
    programme_id: str
    reservation_id: str
    claimed_until: datetime | None
    collection: dict | None
    _columns = None  # the row it was loaded from

    @property
    def terms(self) -> PayoutTerms | None:
        """Currency, rate and voucher expiry fixed at release; read from the row only when
        asked (an order is built from them; recording an answer never needs them)."""
        return None if self._columns is None else terms_of(self._columns)


_STATUSES = {status.value: status for status in PayoutStatus}


def to_payout(row) -> StoredPayout:
    # A batch loads each payout three times: plain lookups here, not Enum() and Money()'s
    # checks of values that were checked on their way in.
    columns = row._mapping
    payout = StoredPayout(
        id=columns["id"], instalment_id=columns["instalment_id"], case_id=columns["case_id"],
        payee_id=columns["payee_id"], route=columns["route"],
        amount=Money(columns["amount"], columns["currency"]), sequence=columns["sequence"],
        idempotency_key=columns["idempotency_key"], status=_STATUSES[columns["status"]],
        batch_id=columns["batch_id"], provider_reference=columns["provider_reference"],
        attempts=columns["attempts"], failure_reason=columns["failure_reason"],
        rerouted_to=columns["rerouted_to"])
    payout.programme_id = columns["programme_id"]
    payout.reservation_id = columns["reservation_id"]
    payout.claimed_until = aware(columns["claimed_until"])
    payout.collection = columns["collection"]
    payout._columns = columns
    return payout


def stored_payout(payout: Payout, programme_id: str, reservation_id: str,
                  batch_id: str | None = None) -> StoredPayout:
    """A newly prepared payout with what the engine keeps beside it."""
    stored = StoredPayout(payout.id, payout.instalment_id, payout.case_id, payout.payee_id,
                          payout.route, payout.amount, payout.sequence, payout.idempotency_key)
    stored.batch_id, stored.programme_id, stored.reservation_id = (batch_id, programme_id,
                                                                   reservation_id)
    return stored


class PayoutRepository:
    def __init__(self, session):
        self.session = session

    def by_ids(self, ids: Iterable[str], lock: bool = False) -> list[StoredPayout]:
        found = []
        for chunk in in_chunks(ids):
            query = sa.select(payouts).where(payouts.c.id.in_(chunk))
            found += [to_payout(r) for r in self.session.execute(self._locked(query, lock))]
        return found

    def where(self, *conditions, limit: int, lock: bool = False,
              skip_locked: bool = False) -> list[StoredPayout]:
        """Up to `limit` payouts, those due soonest first; with `skip_locked`, leaving out
        (on PostgreSQL) the rows another transaction holds, so that concurrent sweepers or
        pollers in several processes each take different payouts instead of queueing."""
        query = (sa.select(payouts).where(*conditions)
                 .order_by(payouts.c.next_attempt_at, payouts.c.id).limit(limit))
        return [to_payout(r) for r in
                self.session.execute(self._locked(query, lock, skip_locked))]

    def of_instalments(self, instalment_ids: Iterable[str],
                       lock: bool = False) -> dict[str, list[StoredPayout]]:
        found: dict[str, list[StoredPayout]] = {}
        for chunk in in_chunks(instalment_ids):
            rows = self.session.execute(self._locked(sa.select(payouts).where(
                payouts.c.instalment_id.in_(chunk))
                .order_by(payouts.c.sequence), lock))
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
                for p in sorted(new_payouts, key=lambda p: p.id)]
        insert_many(self.session, payouts, rows)
        _count_once_committed(self.session, new_payouts)

    def save(self, changed: list[StoredPayout], next_attempt_at: dict[str, datetime | None]) -> None:
        """Write back status, attempts, lease and when to look at each payout again."""
        if not changed:
            return
        at = now()
        update_many(self.session, payouts, ("id",), [
            dict(id=p.id, status=p.status.value, attempts=p.attempts,
                 provider_reference=p.provider_reference, failure_reason=p.failure_reason,
                 rerouted_to=p.rerouted_to, collection=p.collection,
                 claimed_until=p.claimed_until, next_attempt_at=next_attempt_at.get(p.id),
                 updated_at=at)
            for p in changed])
        _count_once_committed(self.session, [
            p for p in changed if p._columns is None or p._columns["status"] != p.status.value])

    def renew_lease(self, payout_ids: list[str], until: datetime) -> None:
        """Extend the claim on these payouts while they wait for their turn to be submitted
        (released ones only: one that moved on meanwhile needs no claim)."""
        for chunk in in_chunks(payout_ids):
            self.session.execute(payouts.update().where(
                payouts.c.id.in_(chunk), payouts.c.status == PayoutStatus.RELEASED.value)
                .values(claimed_until=until))

    def look_again_at(self, payout_ids: list[str], moment: datetime) -> None:
        """Push back when these submitted payouts are next looked at (a poller's lease on
        them; one that reached its end meanwhile is left alone)."""
        for chunk in in_chunks(payout_ids):
            self.session.execute(payouts.update().where(
                payouts.c.id.in_(chunk), payouts.c.status == PayoutStatus.SUBMITTED.value)
                .values(next_attempt_at=moment))

    def progress(self, batch_id: str) -> dict[str, int]:
        rows = self.session.execute(sa.select(payouts.c.status, sa.func.count()).where(
            payouts.c.batch_id == batch_id).group_by(payouts.c.status)).all()
        return {status: count for status, count in rows}

    def batch(self, batch_id: str, lock: bool = False):
        query = sa.select(payout_batches).where(payout_batches.c.id == batch_id)
        return self.session.execute(self._locked(query, lock)).first()

    def _locked(self, query, lock: bool, skip_locked: bool = False):
        # FOR UPDATE [SKIP LOCKED] on PostgreSQL; SQLite's compiler leaves it out (its
        # transactions take the write lock up front, reintegra.messaging.storage).
        return query.with_for_update(skip_locked=skip_locked) if lock or skip_locked else query


def _count_once_committed(session, moved: list[StoredPayout]) -> None:
    """Payouts by route and the status they reached, and the amount paid, whichever path
    moved them (runner, provider event, finance decision, cancellation); counted when the
    move commits, and added up per transaction first, since a labelled metric's lookup costs
    more than the addition."""
    if not moved:
        return
    moves: Counter = Counter()
    paid: Counter = Counter()
    for payout in moved:
        moves[payout.route, payout.status.value] += 1
        if payout.status is PayoutStatus.PAID:
            paid[payout.route, payout.amount.currency] += payout.amount.amount

    def count() -> None:
        for labels, number in moves.items():
            metrics.PAYOUTS.labels(*labels).inc(number)
        for labels, amount in paid.items():
            metrics.AMOUNT_PAID.labels(*labels).inc(amount)
    after_commit(session, count)
