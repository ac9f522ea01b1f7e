"""Provider webhooks (Stripe), applied once by event id.

A webhook is verified by its adapter before it reaches here (`EventRejected` otherwise: no
effect at all). Then:
- an event that reports on one of our payouts (`transfer.*`, `payout.*`, `topup.*`) moves it
  forward through the runner's own record step, so a paid payout is posted in the ledger and
  its instalment recorded exactly as when the runner learns it by polling; a stale report
  (the payout is already further on) changes nothing;
- any other event (`account.updated`, `issuing_card.*`, ...) and one about an object we do
  not know are recorded with the facts they carry, and change nothing else.

The event id is recorded after the event was applied, never before: a crash in between makes
the provider's redelivery apply it again, which the payout state machine makes harmless.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from payments.adapters import provider_event_repository as events
from payments.adapters.payout_repository import PayoutRepository
from payments.service_layer.payout_route import ProviderReport

APPLIED, NO_CHANGE, UNKNOWN_PAYOUT, RECORDED = "applied", "no_change", "unknown_payout", "recorded"


class EventRejected(Exception):
    """A delivery that must have no effect: unsigned, tampered with, stale or not ours."""


@dataclass(frozen=True)
class ProviderEvent:
    """A verified provider event, as the adapter read it."""
    provider: str
    id: str
    type: str
    created: datetime
    object_id: str | None
    payout_id: str | None = None  # set when the event reports on one of our payouts
    report: ProviderReport | None = None
    facts: dict = field(default_factory=dict)  # ids and states only: never names


def apply_provider_event(db, runner, event: ProviderEvent) -> dict:
    """Apply `event` once; a repeat answers what the first delivery did."""
    with db.unit_of_work() as uow:
        earlier = events.seen(uow.session, event.id)
    if earlier:
        return _answer(event, earlier["outcome"], duplicate=True)
    outcome = _apply(db, runner, event)
    with db.unit_of_work() as uow:
        events.remember(uow.session, event.id, event.provider, event.type, event.created,
                        event.object_id, event.payout_id, outcome, event.facts)
        try:
            uow.commit()
        except IntegrityError:  # a concurrent delivery of the same event recorded it first
            return _answer(event, outcome, duplicate=True)
    return _answer(event, outcome)


def _apply(db, runner, event: ProviderEvent) -> str:
    if event.payout_id is None or event.report is None:
        return RECORDED
    if not _known(db, event.payout_id):
        return UNKNOWN_PAYOUT
    moved = runner.record({event.payout_id: event.report})
    return APPLIED if event.payout_id in moved else NO_CHANGE


def _known(db, payout_id: str) -> bool:
    with db.unit_of_work() as uow:
        return bool(PayoutRepository(uow.session).by_ids([payout_id]))


def _answer(event: ProviderEvent, outcome: str, duplicate: bool = False) -> dict:
    return {"event_id": event.id, "type": event.type, "outcome": outcome, "duplicate": duplicate}
