"""Announcing many events at once: a payout batch announces one per payout.

Each event is enveloped and validated exactly as `UnitOfWork.publish` does, but the rows go
to the outbox in one multi-row insert; the last goes through `UnitOfWork.publish` itself so
that the unit of work wakes the relay on commit. (A `publish_many` in reintegra.messaging
would make this module unnecessary.)
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from reintegra.contracts import new_envelope, validate_outgoing
from reintegra.messaging.tables import outbox


def publish_all(uow, events: Iterable) -> None:
    """Publish domain events (with `.name` and `.payload()`) in this unit of work."""
    events = list(events)
    if not events:
        return
    *many, last = events
    at = datetime.now(timezone.utc)
    rows = []
    for event in many:
        envelope = new_envelope(uow.source, event.name, event.payload(), actor=uow.actor).to_dict()
        validate_outgoing(envelope)
        rows.append(dict(event_id=envelope["event_id"], source=uow.source,
                         event_type=event.name, body=envelope, created_at=at, attempts=0))
    if rows:
        uow.session.execute(outbox.insert(), rows)
    uow.publish(last.name, last.payload())
