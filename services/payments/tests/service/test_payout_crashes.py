"""payments as real `nameko run` processes: SIGKILLed at each step of a payout and restarted,
or two of them sharing one database — every payout ends in exactly one final state, is
posted once, and the partner saw one transfer per payout.

PAYMENTS_CRASH_AT makes a process kill itself at the named step
(payments.service_layer.payout_runner.CRASH_POINTS)."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.adapters.payout_repository import PayoutRepository
from payments.adapters.tables import payouts
from payments.service_layer import batches, budget, handlers, instalments, payout_method
from payments.service_layer.payout_route import PayoutRoute, ProviderReport
from payments.service_layer.payout_runner import CRASH_POINTS, PayoutRunner, RunnerSettings

PAYOUTS = 4
SERVICE_DIR = Path(__file__).resolve().parents[2]


def _seed_released_batch(url: str, payouts: int = PAYOUTS, chunk_size: int = 2) -> None:
    """A programme, `payouts` arrived cases with approved plans and wallets, and a batch of their
    first instalments prepared by one officer and released by another — all committed to the
    database (the release's chunk messages wait in the outbox for the process to relay)."""
    store = Store(url, source="payments")
    programme_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        handlers.record_programme(uow, {
            "programme_id": programme_id, "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"}, "instalment_split": [50, 50],
            "justification_threshold_percent": 80,
            "funding_sources": [{"code": "EU", "budget": {"amount": 150_000 * payouts, "currency": "EUR"}}]})
        for n in range(payouts):
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
        batches.release_batch(uow, batch["id"], "officer-b", chunk_size=chunk_size)
        uow.commit()
    store.dispose()


def _payments_process(env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(SERVICE_DIR / "config.yml"),
         "payments.entrypoints.service:PaymentsService"],
        env=env, cwd=cwd, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _process_env(rabbit_config, url: str, partner_url: str) -> dict:
    return {**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"], "PAYMENTS_DATABASE_URL": url,
            "PAYMENTS_METRICS_PORT": "0", "SANDBOX_PARTNER_URL": partner_url,
            "PAYOUT_LEASE_SECONDS": "1", "PAYOUT_POLL_INTERVAL_SECONDS": "0.1",
            "PAYOUT_FIRST_BACKOFF_SECONDS": "0.2", "PAYOUT_CHUNK_SIZE": "2"}


def _all_paid(url: str):
    states = _final_states(url)
    return states if states and {status for _, status in states} == {"paid"} else None


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
    env = _process_env(rabbit_config, url, fresh_partner.url)
    log = tmp_path / "payments.log"

    crashing = _payments_process({**env, "PAYMENTS_CRASH_AT": step}, tmp_path, log)
    assert crashing.wait(timeout=60) == -9, log.read_text()[-3000:]
    assert "crashing on purpose" in log.read_text() and step in log.read_text()

    restarted = _payments_process(env, tmp_path, log)
    try:
        states = eventually(lambda: _all_paid(url), timeout=60)
    finally:
        restarted.terminate()
        restarted.wait(timeout=15)
    assert len(states) == PAYOUTS
    counts = fresh_partner.control.transfers()["countsByExternalId"]
    assert counts == {payout_id: 1 for payout_id, _ in states}
    assert _posts_per_payout(url) == {payout_id: 1 for payout_id, _ in states}


def _announcements_per_payout(url: str) -> dict[tuple[str, str], int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT event_type, body FROM outbox WHERE event_type IN"
                                    " ('payout_released', 'payout_paid')")).all()
    engine.dispose()
    counts: dict[tuple[str, str], int] = {}
    for event_type, body in rows:
        body = json.loads(body) if isinstance(body, str) else body
        key = (event_type, body["data"]["payout_id"])
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_two_payments_processes_sharing_one_database_pay_and_announce_each_payout_once(
        rabbit_config, database_url, migrated, fresh_partner, tmp_path, eventually):
    url = migrated("payments", database_url)
    _seed_released_batch(url, payouts=40, chunk_size=4)
    env = _process_env(rabbit_config, url, fresh_partner.url)
    log = tmp_path / "payments.log"
    # One relay is enough: the second process leaves the outbox to the first.
    processes = [_payments_process(env, tmp_path, log),
                 _payments_process({**env, "OUTBOX_RELAY": "false"}, tmp_path, log)]
    try:
        states = eventually(lambda: _all_paid(url), timeout=90)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
    assert len(states) == 40
    payout_ids = [payout_id for payout_id, _ in states]
    assert fresh_partner.control.transfers()["countsByExternalId"] == dict.fromkeys(payout_ids, 1)
    assert _posts_per_payout(url) == dict.fromkeys(payout_ids, 1)
    assert _announcements_per_payout(url) == {
        (event, payout_id): 1 for payout_id in payout_ids
        for event in ("payout_released", "payout_paid")}


class _Accepting(PayoutRoute):
    """Accepts every transfer; asked about them, first lets `meanwhile` run (another process
    polling at that moment), then says paid."""

    name = "mobile_money"

    def __init__(self):
        self.asked: list[str] = []
        self.meanwhile = lambda: None

    def submit(self, order):
        return ProviderReport("submitted", provider_reference=order.idempotency_key[:20])

    def fetch_status(self, order):
        return self.fetch_many([order])[order.payout_id]

    def fetch_many(self, orders):
        self.asked += [order.payout_id for order in orders]
        self.meanwhile()
        return {order.payout_id: ProviderReport("paid", provider_reference=order.idempotency_key[:20])
                for order in orders}


class _Database:
    def __init__(self, store):
        self.store = store

    def unit_of_work(self):
        return self.store.unit_of_work()


def test_payouts_one_process_is_asking_the_provider_about_are_left_alone_by_another_poller(
        database_url, migrated):
    url = migrated("payments", database_url)
    _seed_released_batch(url, payouts=6)
    store = Store(url, source="payments")
    settings = RunnerSettings(poll_interval_seconds=0)
    here, there = _Accepting(), _Accepting()
    polling_here = PayoutRunner(_Database(store), {"mobile_money": here}, settings)
    polling_there = PayoutRunner(_Database(store), {"mobile_money": there}, settings)
    assert polling_here.run([payout_id for payout_id, _ in _final_states(url)]) == 6
    here.meanwhile = polling_there.poll

    assert polling_here.poll() == 6
    store.dispose()

    assert sorted(here.asked) == sorted(payout_id for payout_id, _ in _final_states(url))
    assert there.asked == []
    assert _all_paid(url)


def test_two_processes_polling_at_the_same_moment_on_postgresql_ask_about_different_payouts(
        database_url, migrated):
    if database_url.startswith("sqlite"):
        # A second SQLite writer cannot begin while the first holds the write lock (BEGIN
        # IMMEDIATE), so it never reads the same payouts; the poll-lease test above covers it.
        pytest.skip("SQLite serialises writers, so two pollers cannot read at the same moment; "
                    "test_payouts_one_process_is_asking_the_provider_about_are_left_alone_by_"
                    "another_poller covers SQLite")
    url = migrated("payments", database_url)
    _seed_released_batch(url, payouts=6)
    here, there = Store(url, source="payments"), Store(url, source="payments")
    settings = RunnerSettings(poll_interval_seconds=0)
    assert PayoutRunner(_Database(here), {"mobile_money": _Accepting()}, settings).run(
        [payout_id for payout_id, _ in _final_states(url)]) == 6
    asked_there = _Accepting()
    polling_there = PayoutRunner(_Database(there), {"mobile_money": asked_there}, settings)

    # Were it kept waiting for the first poller's locks, it would fail after 5 s, not hang.
    sa.event.listen(there.engine, "connect", lambda conn, _: _set_lock_timeout(conn, "5s"))

    # One poller has picked four payouts and not yet committed its lease on them ...
    with here.unit_of_work() as uow:
        picked = PayoutRepository(uow.session).where(
            payouts.c.status == "submitted", limit=4, skip_locked=True)
        # ... when another process polls: it is not kept waiting, and asks only about the rest.
        asked = polling_there.poll()
        uow.commit()
    here.dispose()
    there.dispose()

    assert len(picked) == 4 and asked == 2
    assert not {p.id for p in picked} & set(asked_there.asked)


def _set_lock_timeout(dbapi_connection, timeout: str) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{timeout}'")
