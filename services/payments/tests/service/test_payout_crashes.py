"""The payments process SIGKILLed at each step of a payout, then restarted: every payout ends
in exactly one final state, is posted once, and the partner saw one transfer per payout.

payments runs as a real `nameko run` process; PAYMENTS_CRASH_AT makes it kill itself at the
named step (payments.service_layer.payout_runner.CRASH_POINTS)."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.service_layer import batches, budget, handlers, instalments, payout_method
from payments.service_layer.payout_runner import CRASH_POINTS

PAYOUTS = 4
SERVICE_DIR = Path(__file__).resolve().parents[2]


def _seed_released_batch(url: str) -> None:
    """A programme, PAYOUTS arrived cases with approved plans and wallets, and a batch of their
    first instalments prepared by one officer and released by another — all committed to the
    database (the release's chunk messages wait in the outbox for the process to relay)."""
    store = Store(url, source="payments")
    programme_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        handlers.record_programme(uow, {
            "programme_id": programme_id, "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"}, "instalment_split": [50, 50],
            "justification_threshold_percent": 80,
            "funding_sources": [{"code": "EU", "budget": {"amount": 5_000_000, "currency": "EUR"}}]})
        for n in range(PAYOUTS):
            case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
            handlers.record_case(uow, {"case_id": case_id, "programme_id": programme_id,
                                       "status": "registered", "return_country": "GM"})
            payout_method.set_payout_method(uow, case_id, {"route": "mobile_money", "details": {
                "phone": f"+2207100{n:03d}", "operator": "qcell"}}, "caseworker-1")
            budget.reserve_budget(uow, f"plan:{plan_id}:v1:reserve", programme_id,
                                  f"plan:{plan_id}", Money(150_000, "EUR"))
            instalments.plan_approved(uow, {
                "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id, "version": 1,
                "total": {"amount": 150_000, "currency": "EUR"}, "reservation_id": f"plan:{plan_id}"})
            instalments.case_arrived(uow, {"case_id": case_id})
        batch = batches.prepare_batch(uow, {}, "officer-a", None, {"mobile_money"})
        batches.release_batch(uow, batch["id"], "officer-b", chunk_size=2)
        uow.commit()
    store.dispose()


def _payments_process(env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(SERVICE_DIR / "config.yml"),
         "payments.entrypoints.service:PaymentsService"],
        env=env, cwd=cwd, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _final_states(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, status FROM payouts")).all()
    engine.dispose()
    return [(r.id, r.status) for r in rows]


def _posts_per_payout(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT operation_id FROM ledger_operations"
                                    " WHERE operation = 'post'")).scalars().all()
    engine.dispose()
    counts: dict[str, int] = {}
    for operation_id in rows:
        payout_id = operation_id.split(":")[1]
        counts[payout_id] = counts.get(payout_id, 0) + 1
    return counts


@pytest.mark.parametrize("step", CRASH_POINTS)
def test_a_payments_process_killed_at_each_step_finishes_every_payout_once_after_restart(
        step, rabbit_config, database_url, migrated, fresh_partner, tmp_path, eventually):
    url = migrated("payments", database_url)
    _seed_released_batch(url)
    env = {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"], "PAYMENTS_DATABASE_URL": url,
           "PAYMENTS_METRICS_PORT": "0", "SANDBOX_PARTNER_URL": fresh_partner.url,
           "PAYOUT_LEASE_SECONDS": "1", "PAYOUT_POLL_INTERVAL_SECONDS": "0.1",
           "PAYOUT_FIRST_BACKOFF_SECONDS": "0.2", "PAYOUT_CHUNK_SIZE": "2"}
    log = tmp_path / "payments.log"

    crashing = _payments_process({**env, "PAYMENTS_CRASH_AT": step}, tmp_path, log)
    assert crashing.wait(timeout=60) == -9, log.read_text()[-3000:]
    assert "crashing on purpose" in log.read_text() and step in log.read_text()

    restarted = _payments_process(env, tmp_path, log)
    try:
        states = eventually(lambda: (lambda s: s if {st for _, st in s} == {"paid"} else None)(
            _final_states(url)), timeout=60)
    finally:
        restarted.terminate()
        restarted.wait(timeout=15)
    assert len(states) == PAYOUTS
    counts = fresh_partner.control.transfers()["countsByExternalId"]
    assert counts == {payout_id: 1 for payout_id, _ in states}
    assert _posts_per_payout(url) == {payout_id: 1 for payout_id, _ in states}
