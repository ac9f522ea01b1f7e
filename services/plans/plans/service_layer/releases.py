"""Sending the releases owed to payments (a command outbox: recorded, then sent)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from reintegra.contracts.errors import ApiError

from plans.adapters.budget_records import OwedReleases

log = logging.getLogger(__name__)


def send_owed_releases(db, budget) -> int:
    """Send each unsent release; returns how many payments confirmed.

    Payments applies an operation id once, so sending again after a crash is harmless.
    A refusal is logged and left owed for the next round: money must not be forgotten.
    """
    with db.unit_of_work() as uow:
        owed = OwedReleases(uow.session).unsent()
    sent = 0
    for release in owed:
        try:
            answer = budget.release(release.operation_id, release.programme_id,
                                    release.reference, release.amount)
        except ApiError as refused:
            log.warning("budget release refused", extra={
                "operation_id": release.operation_id, "error": refused.message})
            continue
        with db.unit_of_work() as uow:
            OwedReleases(uow.session).mark_sent(release.operation_id, answer.released,
                                                datetime.now(timezone.utc))
            uow.commit()
        sent += 1
    return sent
