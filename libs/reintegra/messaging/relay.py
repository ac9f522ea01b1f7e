"""The outbox relay: moves committed events from a service's outbox to the broker.

Events are published a batch at a time with publisher confirms and mandatory routing: only
when the broker has confirmed an event (and routed it to at least one queue) is its row marked
published. A crash in between publishes it again after restart, which idempotent consumers
absorb. A failure (broker down, unroutable) leaves the row pending and retries it with
backoff; later rows are not held back by it, so consumers must not rely on global order (they
never can with retries).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from reintegra.messaging.tables import outbox

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (0.5, 1, 2, 5, 10, 30)


class OutboxRelay:
    def __init__(self, store, publish_batch, batch_size: int = 500, idle_seconds: float = 0.5,
                 on_backlog=None):
        """`publish_batch(rows)` sends outbox rows and answers, by event id, None for each one
        the broker confirmed and routed, or the exception saying why not; it raises when the
        broker could not be asked at all."""
        self._store = store
        self._publish_batch = publish_batch
        self._batch_size = batch_size
        self._idle = idle_seconds
        self._on_backlog = on_backlog
        self._wake = threading.Event()
        self._stopped = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def run(self) -> None:
        while not self._stopped:
            try:
                relayed = self.relay_once()
            except Exception:  # a database hiccup must not kill the relay for good
                log.exception("outbox relay round failed")
                relayed = 0
            if relayed == 0:
                self._wake.wait(self._idle)
                self._wake.clear()

    def relay_once(self) -> int:
        """Publish one batch of due rows; returns how many were published."""
        rows, published = self._due_rows(), []
        if rows:
            try:
                outcome = self._publish_batch(rows)
            except Exception as outage:
                log.warning("outbox publish failed", extra={"events": len(rows),
                            "error": type(outage).__name__})
                outcome = {row.event_id: outage for row in rows}
            published = [row.id for row in rows if row.event_id in outcome
                         and outcome[row.event_id] is None]
            failed = [(row, outcome[row.event_id]) for row in rows
                      if outcome.get(row.event_id) is not None]
            for row, exc in failed:
                log.warning("outbox event not published", extra={
                    "event_id": row.event_id, "event_type": row.event_type,
                    "error": type(exc).__name__})
            self._record(published, failed)
        self._report_backlog()
        return len(published)

    def _due_rows(self):
        now = datetime.now(timezone.utc)
        query = (sa.select(outbox).where(outbox.c.published_at.is_(None))
                 .where(sa.or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now))
                 .order_by(outbox.c.id).limit(self._batch_size))
        with self._store.reading() as conn:
            return conn.execute(query).all()

    def _record(self, published: list[int], failed: list) -> None:
        if not published and not failed:
            return
        now = datetime.now(timezone.utc)
        with self._store.lock, self._store.engine.begin() as conn:
            if published:
                conn.execute(outbox.update().where(outbox.c.id.in_(published)).values(published_at=now))
            for row, exc in failed:
                delay = BACKOFF_SECONDS[min(row.attempts, len(BACKOFF_SECONDS) - 1)]
                conn.execute(outbox.update().where(outbox.c.id == row.id).values(
                    attempts=row.attempts + 1, next_attempt_at=now + timedelta(seconds=delay),
                    last_error=f"{type(exc).__name__}: {exc}"[:500]))

    def _report_backlog(self) -> None:
        if self._on_backlog:
            self._on_backlog(self._store.outbox_backlog())
