"""Runs released payouts to the provider, exactly once, and follows them to the end.

One payout goes through three short transactions, never holding one open across a network
call:

1. **claim** — prepared → released (announced), the attempt counted and a lease taken, so
   no other worker calls the provider for it meanwhile. The idempotency key was stored with
   the payout when the batch was prepared, long before this.          crash: after_key_stored
2. **submit** — the provider is called with that key (many payouts per call when it has a
   bulk API; otherwise a few calls at once, a few rounds of them per step, the lease of the
   payouts still waiting renewed between steps).                     crash: after_provider_accepted
3. **record** — the provider's answer moves the payout forward through its state machine;
   a paid payout is posted in the ledger and its instalment recorded as paid, in the same
   transaction (each step of 2 is recorded before the next).         crash: before_commit

The chunk's message is acknowledged only after that (crash: before_ack). Whatever step a
crash interrupts, the payout is still `released` (or already recorded): the redelivered
message, or the sweeper once the lease has run out, claims it again and submits it again
with the same key, which the provider answers as a replay — one transfer. A provider that
is down or times out leaves the payout released with a later `next_attempt_at`
(exponential backoff); the sweeper retries it. Submitted payouts are polled in bulk until
they are paid or failed, each poll taking a lease on the payouts it asks about so that
several payments processes never ask twice; a stale or repeated report changes nothing.
"""
from __future__ import annotations

import logging
import os
import signal
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterator

import sqlalchemy as sa

from payments.adapters.ledger_repository import LedgerRepository
from payments.adapters.payout_repository import PayoutRepository, StoredPayout, now
from payments.adapters.schedule_repository import ScheduleRepository
from payments.adapters.tables import payout_batches, payouts
from payments.domain.ledger import LedgerError
from payments.domain.payouts import FINAL, PayoutStatus
from payments.domain.instalments import ScheduleError
from payments.service_layer.budget import fingerprint
from payments.service_layer.exchange_rates import with_terms
from payments.service_layer.instalments import cancel_schedule, publish_events
from payments.service_layer.payee_confirmation import confirm_payees
from payments.service_layer.payees import payees_for
from payments.service_layer.payout_route import (Payee, PayoutOrder, PayoutRoute, ProviderReport,
                                                 RouteUnavailable)

log = logging.getLogger(__name__)

CRASH_POINTS = ("after_key_stored", "after_provider_accepted", "before_commit", "before_ack")


@dataclass(frozen=True)
class RunnerSettings:
    chunk_size: int = 500
    lease_seconds: float = 30.0
    poll_interval_seconds: float = 0.5
    first_backoff_seconds: float = 1.0
    max_backoff_seconds: float = 300.0
    sweep_limit: int = 2000
    crash_at: str = ""

    @classmethod
    def from_config(cls, config: dict) -> "RunnerSettings":
        given = config.get("PAYOUTS") or {}
        return cls(**{name: type(getattr(cls, name))(value) for name, value in given.items()
                      if name in cls.__dataclass_fields__ and value not in (None, "")})

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        delay = min(self.first_backoff_seconds * 2 ** max(attempts - 1, 0), self.max_backoff_seconds)
        return timedelta(seconds=max(delay, retry_after or 0))


def crash_point(settings: RunnerSettings, step: str) -> None:
    """Fault injection for the crash tests: die here, as a power cut would (never in prod config)."""
    if settings.crash_at == step:
        log.warning("crashing on purpose", extra={"step": step})
        os.kill(os.getpid(), signal.SIGKILL)


class PayoutRunner:
    def __init__(self, db, routes: dict[str, PayoutRoute], settings: RunnerSettings):
        self.db = db
        self.routes = routes
        self.settings = settings

    # The three steps ----------------------------------------------------------------------

    def run(self, payout_ids: list[str] | None = None) -> int:
        """Claim, submit and record these payouts (None: whatever is waiting); returns how
        many were claimed."""
        claimed = self.claim(payout_ids)
        if not claimed:
            return 0
        crash_point(self.settings, "after_key_stored")
        for answers in self.submit(claimed):
            crash_point(self.settings, "after_provider_accepted")
            self.record(answers)
        return len(claimed)

    def claim(self, payout_ids: list[str] | None) -> list[tuple[StoredPayout, PayoutOrder]]:
        at = now()
        with self.db.unit_of_work() as uow:
            repository = PayoutRepository(uow.session)
            candidates = (repository.by_ids(payout_ids, lock=True) if payout_ids is not None
                          else repository.where(*self._waiting(at), limit=self.settings.sweep_limit,
                                                skip_locked=True))
            released_batches = self._released_batches(uow.session, candidates)
            claimed = [p for p in candidates if self._claimable(p, at, released_batches)]
            for payout in claimed:
                if payout.status is PayoutStatus.PREPARED:
                    payout.release(payout.batch_id)
                payout.record_attempt()
                payout.claimed_until = at + timedelta(seconds=self.settings.lease_seconds)
            repository.save(claimed, {p.id: p.claimed_until for p in claimed})
            _publish(uow, claimed)
            payees = payees_for(uow.session, claimed)
            uow.commit()
        return [(p, _order(p, payees.get(p.id))) for p in claimed]

    def submit(self, claimed: list[tuple[StoredPayout, PayoutOrder]]) -> Iterator[dict]:
        """The providers' answers, by payout id, one step at a time (`_in_steps`): each is
        recorded before the next step's calls."""
        leased_at = time.monotonic()  # the claim's commit, just before
        by_route: dict[str, list[PayoutOrder]] = defaultdict(list)
        # Payees whose account holder is someone else are held for review, not paid.
        claimed, answers = confirm_payees(self.db, self.routes, claimed)
        for payout, order in claimed:
            if order is None:
                answers[payout.id] = RouteUnavailable("no payout method on file")
            elif payout.route not in self.routes:
                answers[payout.id] = RouteUnavailable(f"route {payout.route} is not configured")
            else:
                by_route[payout.route].append(order)
        for route, orders in self._in_steps(by_route, leased_at, PayoutRepository.renew_lease):
            answers.update(self.routes[route].submit_many(orders))
            yield answers
            answers = {}
        if answers:  # nothing to submit: only holds or payouts without a route
            yield answers

    def record(self, answers: dict[str, ProviderReport | RouteUnavailable | None]) -> set[str]:
        """Apply the providers' answers; returns the ids of the payouts they moved forward."""
        at = now()
        with self.db.unit_of_work() as uow:
            repository = PayoutRepository(uow.session)
            fresh = repository.by_ids(answers, lock=True)
            next_look: dict[str, object] = {}
            moved = []
            for payout in fresh:
                answer = answers[payout.id]
                if isinstance(answer, ProviderReport):
                    if payout.apply_provider_status(PayoutStatus(answer.status),
                                                    answer.provider_reference,
                                                    answer.failure_reason):
                        moved.append(payout)
                    payout.collection = answer.collection or payout.collection
                    payout.claimed_until = None
                    next_look[payout.id] = at + timedelta(
                        seconds=self.settings.poll_interval_seconds)
                elif isinstance(answer, RouteUnavailable) and payout.status is PayoutStatus.RELEASED:
                    payout.claimed_until = None
                    next_look[payout.id] = at + self.settings.backoff(
                        payout.attempts, answer.retry_after_seconds)
                else:  # polled, not known or still pending: look again later
                    next_look[payout.id] = at + timedelta(
                        seconds=self.settings.poll_interval_seconds)
            for payout in fresh:
                if payout.status in FINAL:
                    next_look[payout.id] = None
            self._settle(uow, [p for p in moved if p.status in FINAL])
            repository.save(fresh, next_look)
            _publish(uow, fresh)
            # Last before the commit: posting takes the programme's ledger lock (FOR UPDATE on
            # PostgreSQL), which every other payments process's postings then wait for.
            self._post(uow, [p for p in moved if p.status is PayoutStatus.PAID])
            crash_point(self.settings, "before_commit")
            uow.commit()
        return {payout.id for payout in moved}

    # Following submitted payouts ----------------------------------------------------------

    def poll(self) -> int:
        """Ask the providers about submitted payouts that are due a look; returns how many."""
        at = now()
        with self.db.unit_of_work() as uow:
            repository = PayoutRepository(uow.session)
            waiting = repository.where(
                payouts.c.status == PayoutStatus.SUBMITTED.value,
                sa.or_(payouts.c.next_attempt_at.is_(None), payouts.c.next_attempt_at <= at),
                limit=self.settings.sweep_limit, skip_locked=True)
            # A lease on the question: another payments process polling meanwhile leaves these
            # alone (and, on PostgreSQL, one polling at this very moment skips the rows locked
            # here); the answer (or a crash's lease running out) sets the next look.
            repository.look_again_at([p.id for p in waiting],
                                     at + timedelta(seconds=self.settings.lease_seconds))
            payees = payees_for(uow.session, waiting)
            uow.commit()
        leased_at = time.monotonic()
        by_route: dict[str, list[PayoutOrder]] = defaultdict(list)
        for payout in waiting:
            if payout.route in self.routes:
                by_route[payout.route].append(_order(payout, payees.get(payout.id)))
        asked = 0
        # As in `submit`, each step's answers are recorded before the next step's questions.
        for route, orders in self._in_steps(by_route, leased_at, PayoutRepository.look_again_at):
            try:
                answers = self.routes[route].fetch_many(orders)
            except RouteUnavailable as unavailable:
                answers = {o.payout_id: unavailable for o in orders}
            if answers:
                self.record(answers)
            asked += len(answers)
        return asked

    # Helpers ------------------------------------------------------------------------------

    def _in_steps(self, by_route: dict[str, list[PayoutOrder]], leased_at: float,
                  renew) -> Iterator[tuple[str, list[PayoutOrder]]]:
        """(route, orders) to hand the route: a whole chunk to a bulk API, else
        `orders_per_submission` at a time. Before a step, once half the lease taken at
        `leased_at` has gone, `renew` (a `PayoutRepository` method) extends it for every order
        still waiting, so a slow provider's later orders are never claimed twice."""
        steps = [(route, orders[start:start + size]) for route, orders in by_route.items()
                 for size in [self.routes[route].orders_per_submission or len(orders)]
                 for start in range(0, len(orders), size)]
        for number, step in enumerate(steps):
            if time.monotonic() - leased_at > self.settings.lease_seconds / 2:
                with self.db.unit_of_work() as uow:
                    renew(PayoutRepository(uow.session),
                          [o.payout_id for _, waiting in steps[number:] for o in waiting],
                          now() + timedelta(seconds=self.settings.lease_seconds))
                    uow.commit()
                leased_at = time.monotonic()
            yield step

    def _waiting(self, at) -> list:
        """Released payouts whose lease ran out and whose retry is due, and prepared payouts
        of batches released a lease ago whose chunk message never got them claimed."""
        lease_ago = at - timedelta(seconds=self.settings.lease_seconds)
        stale_batches = sa.select(payout_batches.c.id).where(
            payout_batches.c.status == "released", payout_batches.c.released_at <= lease_ago)
        return [sa.or_(
            sa.and_(payouts.c.status == PayoutStatus.RELEASED.value,
                    sa.or_(payouts.c.claimed_until.is_(None), payouts.c.claimed_until <= at),
                    sa.or_(payouts.c.next_attempt_at.is_(None), payouts.c.next_attempt_at <= at)),
            sa.and_(payouts.c.status == PayoutStatus.PREPARED.value,
                    payouts.c.batch_id.in_(stale_batches)))]

    @staticmethod
    def _released_batches(session, candidates: list[StoredPayout]) -> set[str]:
        batch_ids = {p.batch_id for p in candidates if p.status is PayoutStatus.PREPARED}
        if not batch_ids:
            return set()
        return set(session.execute(sa.select(payout_batches.c.id).where(
            payout_batches.c.id.in_(batch_ids),
            payout_batches.c.status == "released")).scalars())

    @staticmethod
    def _claimable(payout: StoredPayout, at, released_batches: set[str]) -> bool:
        if payout.status is PayoutStatus.PREPARED:
            return payout.batch_id in released_batches
        if payout.status is not PayoutStatus.RELEASED:
            return False
        return payout.claimed_until is None or payout.claimed_until <= at

    def _settle(self, uow, settled: list[StoredPayout]) -> None:
        """Paid: recorded on the instalment (and posted in the ledger by `_post`). Failed:
        the instalment is due again (its money stays reserved), unless the case was
        withdrawn meanwhile."""
        if not settled:
            return
        repository = ScheduleRepository(uow.session)
        schedules = repository.by_instalments(p.instalment_id for p in settled)
        for payout in settled:
            stored = schedules.get(payout.instalment_id)
            if stored is None:
                continue
            number = next(i.number for i in stored.schedule.instalments
                          if i.id == payout.instalment_id)
            try:
                if payout.status is PayoutStatus.PAID:
                    stored.schedule.record_payment(number, payout.amount)
                else:
                    stored.schedule.instalment(number).payout_failed()
            except ScheduleError:
                log.error("instalment refused a payout outcome", extra={
                    "payout_id": payout.id, "instalment_id": payout.instalment_id})
        unique = {id(s): s for s in schedules.values()}.values()
        repository.save(unique)
        for stored in unique:
            if stored.schedule.withdrawn:
                cancel_schedule(uow, repository, stored)
        publish_events(uow, [s.schedule for s in unique])

    @staticmethod
    def _post(uow, paid: list[StoredPayout]) -> None:
        by_programme: dict[str, list[StoredPayout]] = defaultdict(list)
        for payout in paid:
            by_programme[payout.programme_id].append(payout)
        for programme_id, group in by_programme.items():
            ledger_repository = LedgerRepository(uow.session)
            ledger = ledger_repository.load(programme_id, {p.reservation_id for p in group})
            answers = {}
            for payout in group:
                operation_id = f"payout:{payout.id}:post"
                try:
                    ledger.post(operation_id, programme_id, payout.reservation_id, payout.amount,
                                payout.route)
                except LedgerError as refused:
                    # Money has left: the reservation should have covered it. Never silently.
                    log.error("paid payout could not be posted", extra={
                        "payout_id": payout.id, "error": str(refused)})
                    continue
                answers[operation_id] = (fingerprint("post", payout.id),
                                         {"payout_id": payout.id})
            ledger_repository.save(ledger, answers)


def _order(payout: StoredPayout, payee: Payee | None) -> PayoutOrder | None:
    if payee is None:
        return None
    order = PayoutOrder(payout.id, payout.idempotency_key, payout.amount, payee,
                        reference=f"Reintegra {payout.id[:8]}")
    return with_terms(order, getattr(payout, "terms", None))


def _publish(uow, changed: list[StoredPayout]) -> None:
    uow.publish_many((event.name, event.payload())
                     for payout in changed for event in payout.events)
    for payout in changed:
        payout.events.clear()
