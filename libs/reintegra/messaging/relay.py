"""The outbox relay: moves committed events from a service's outbox to the broker.

Each event is published with publisher confirms and mandatory routing: only when the broker
has confirmed it (and routed it to at least one queue) is the row marked published. A crash
in between publishes it again after restart, which idempotent consumers absorb. A failure
(broker down, unroutable) leaves the row pending and retries it with backoff; later rows are
not held back by it, so consumers must not rely on global order (they never can with retries).
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
    def __init__(self, store, publish, batch_size: int = 200, idle_seconds: float = 0.5,
                 on_backlog=None):
        """`publish(body: dict, event_type, source)` must raise unless the broker confirmed it."""
        self._store = store
        self._publish = publish
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
        published, failed = [], []
        for row in self._due_rows():
            try:
                self._publish(row.body, row.event_type, row.source)
                published.append(row.id)
            except Exception as exc:
                log.warning("outbox publish failed", extra={"event_id": row.event_id,
                            "event_type": row.event_type, "error": type(exc).__name__})
                failed.append((row, exc))
                if _looks_like_outage(exc):
                    break
        self._record(published, failed)
        self._report_backlog()
        return len(published)

    def _due_rows(self):
        now = datetime.now(timezone.utc)
        query = (sa.select(outbox).where(outbox.c.published_at.is_(None))
                 .where(sa.or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now))
                 .order_by(outbox.c.id).limit(self._batch_size))
        with self._store.lock, self._store.engine.connect() as conn:
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


def _looks_like_outage(exc: Exception) -> bool:
    # An unroutable message is this row's problem; anything else (connection refused, channel
    # closed) is the broker's, and hammering it with the rest of the batch helps nobody.
    return type(exc).__name__ != "UndeliverableMessage"
