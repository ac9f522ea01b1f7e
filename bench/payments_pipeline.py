"""Payout pipeline benchmark: a batch of N due instalments released and paid end to end,
beside the raw broker throughput measured in the same run.

    .venv/bin/python bench/payments_pipeline.py                 # --count 100000
    .venv/bin/python bench/payments_pipeline.py --count 5000 --no-report
    .venv/bin/python bench/payments_pipeline.py --workers 2     # payments as two processes
    .venv/bin/python bench/payments_pipeline.py --relay in-process  # no relay process

1. Raw broker: pika publishes N persistent 200-byte messages with publisher confirms (up to
   1,000 unconfirmed in flight) while a pika consumer (prefetch 100, manual acks) drains the
   queue; the raw rate is N / time until the last message is consumed.
2. Pipeline: a fresh vhost and a fresh payments database (SQLite unless --database-url), the
   sandbox partner as its own process, payments as a `nameko run` process (or --workers of
   them sharing the database) and its outbox relay as its own process
   (`reintegra.messaging.relay_process`; with --relay in-process, inside the first payments
   process instead). N cases with an approved plan, a Gambian mobile-money wallet and an
   arrival are loaded straight into payments' tables (the reservations through the real
   BudgetLedger), with a GMD rate for the release to fix on each payout; instalment 1 of
   each is due.
   Then over RPC, as two finance officers: prepare the batch, release it. The clock runs from
   the release call until every payout is `paid` in payments' database.
3. Checks: the partner holds exactly N transfers, none twice for one payout, and the ledger
   has exactly one posting operation per paid payout. Peak RSS of a payments process is its
   VmHWM from /proc.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import base64
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fakes"))
sys.path.insert(0, str(ROOT / "bench"))

import pika  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from report import write_section  # noqa: E402

BROKER = "127.0.0.1:5673"
MANAGEMENT = "http://127.0.0.1:15673/api"


# Broker ------------------------------------------------------------------------------------

def management(method: str, path: str, body: dict | None = None) -> None:
    request = urllib.request.Request(
        MANAGEMENT + path, method=method,
        data=json.dumps(body or {}).encode() if method == "PUT" else None,
        headers={"content-type": "application/json",
                 "Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()})
    urllib.request.urlopen(request, timeout=10).close()


def fresh_vhost(prefix: str) -> str:
    vhost = f"{prefix}_{uuid.uuid4().hex[:8]}"
    management("PUT", f"/vhosts/{vhost}")
    management("PUT", f"/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    return vhost


def raw_broker_rate(count: int) -> float:
    """Messages per second through the broker: publish with confirms, consume with acks."""
    vhost = fresh_vhost("bench_raw")
    url = f"amqp://guest:guest@{BROKER}/{vhost}"
    setup = pika.BlockingConnection(pika.URLParameters(url))
    setup.channel().queue_declare("bench", durable=True)
    setup.close()
    consumed = threading.Event()
    consumer = threading.Thread(target=_consume, args=(url, count, consumed), daemon=True)
    consumer.start()
    started = time.perf_counter()
    _publish_with_confirms(url, count)
    consumed.wait()
    elapsed = time.perf_counter() - started
    management("DELETE", f"/vhosts/{vhost}")
    return count / elapsed


def _publish_with_confirms(url: str, count: int, in_flight: int = 1000) -> None:
    body = b"x" * 200
    state = {"sent": 0, "confirmed": 0}

    def on_open(connection):
        connection.channel(on_open_callback=on_channel)

    def on_channel(channel):
        # Publishing starts once confirm mode is on, or early messages are never confirmed.
        channel.confirm_delivery(lambda frame: on_confirm(channel, frame),
                                 callback=lambda _ok: publish_more(channel))

    def on_confirm(channel, frame):
        acked = frame.method
        if acked.multiple:
            state["confirmed"] = acked.delivery_tag
        else:
            state["confirmed"] += 1
        if state["confirmed"] >= count:
            channel.connection.close()
            return
        publish_more(channel)

    def publish_more(channel):
        while state["sent"] < count and state["sent"] - state["confirmed"] < in_flight:
            channel.basic_publish("", "bench", body, pika.BasicProperties(delivery_mode=2))
            state["sent"] += 1

    connection = pika.SelectConnection(
        pika.URLParameters(url), on_open_callback=on_open,
        on_close_callback=lambda conn, _reason: conn.ioloop.stop())
    connection.ioloop.start()


def _consume(url: str, count: int, done: threading.Event) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=100)
    received = 0
    for method, _properties, _body in channel.consume("bench"):
        channel.basic_ack(method.delivery_tag)
        received += 1
        if received >= count:
            break
    channel.cancel()
    connection.close()
    done.set()


# Seeding payments' database ---------------------------------------------------------------

def seed_due_instalments(url: str, count: int) -> str:
    """N cases, each with an approved EUR 1,500 plan reserved in the ledger, a wallet, an
    arrival: instalment 1 (EUR 750) due. Written in bulk through payments' own tables."""
    from datetime import datetime, timezone

    from reintegra.messaging.storage import Store
    from reintegra.money import Money

    from payments.adapters.exchange_rate_repository import ExchangeRateRepository
    from payments.adapters.ledger_repository import LedgerRepository
    from payments.domain.exchange_rates import manual_rate
    from payments.adapters.schedule_repository import ScheduleRepository, StoredSchedule
    from payments.adapters.tables import beneficiary_cases, case_facts, payout_methods
    from payments.domain.instalments import schedule_for_plan
    from payments.service_layer import handlers
    from payments.service_layer.budget import fingerprint

    programme_id = str(uuid.uuid4())
    now = datetime.now(timezone.utc)
    store = Store(url, source="payments")
    with store.unit_of_work() as uow:
        handlers.record_programme(uow, {
            "programme_id": programme_id, "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"}, "instalment_split": [50, 50],
            "justification_threshold_percent": 80,
            "funding_sources": [
                {"code": "AMIF", "budget": {"amount": 150_000 * count * 3 // 4 + 100, "currency": "EUR"}},
                {"code": "PT", "budget": {"amount": 150_000 * count // 4 + 100, "currency": "EUR"}}]})
        # Gambian wallets are paid in dalasi: the release fixes today's rate on every payout.
        ExchangeRateRepository(uow.session).save([manual_rate("GMD", "71.25", now.date(), "bench")])
        uow.commit()
    cases = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(count)]
    for start in range(0, count, 5000):
        chunk = cases[start:start + 5000]
        with store.unit_of_work() as uow:
            ledger_repository = LedgerRepository(uow.session)
            ledger = ledger_repository.load(programme_id)
            answers = {}
            for _case_id, plan_id in chunk:
                operation_id = f"plan:{plan_id}:v1:reserve"
                ledger.reserve(operation_id, programme_id, Money(150_000, "EUR"), f"plan:{plan_id}")
                answers[operation_id] = (fingerprint("reserve", plan_id), {"seeded": True})
            ledger_repository.save(ledger, answers)
            uow.session.execute(beneficiary_cases.insert(), [dict(
                case_id=c, programme_id=programme_id, status="arrived", return_country="GM",
                updated_at=now) for c, _ in chunk])
            uow.session.execute(case_facts.insert(), [dict(
                case_id=c, arrived=True, withdrawn=False, justified={}, monitoring_contacts=[])
                for c, _ in chunk])
            uow.session.execute(payout_methods.insert(), [dict(
                case_id=c, route="mobile_money", updated_by="bench", updated_at=now,
                details={"phone": f"+22070{n:07d}", "operator": "afrimoney"})
                for n, (c, _) in enumerate(chunk, start=start)])
            schedules = ScheduleRepository(uow.session)
            for case_id, plan_id in chunk:
                schedule = schedule_for_plan(plan_id, case_id, programme_id, Money(150_000, "EUR"),
                                             [50, 50], Money(200_000, "EUR"), 80)
                schedule.record_arrival()
                schedules.add(StoredSchedule(schedule, f"plan:{plan_id}", 1))
            uow.commit()
    store.dispose()
    return programme_id


# The pipeline ------------------------------------------------------------------------------

def run_pipeline(count: int, database_url: str | None, workdir: Path, chunk_size: int,
                 workers: int = 1, relay: str = "own") -> dict:
    from nameko.standalone.rpc import ClusterRpcProxy
    from reintegra.messaging.migrations import upgrade
    from sandbox_partner.process import SandboxPartnerProcess

    url = database_url or f"sqlite:///{workdir / 'payments.sqlite'}"
    upgrade("payments", url)
    seeding = time.perf_counter()
    programme_id = seed_due_instalments(url, count)
    seeded_in = time.perf_counter() - seeding
    vhost = fresh_vhost("bench_payments")
    amqp = f"amqp://guest:guest@{BROKER}/{vhost}"
    _bind_event_sink(amqp)
    partner = SandboxPartnerProcess(workdir / "partner", settle_delay_ms=200).start()
    env = {**os.environ, "AMQP_URI": amqp, "PAYMENTS_DATABASE_URL": url,
           "PAYMENTS_METRICS_PORT": "0", "SANDBOX_PARTNER_URL": partner.url,
           "PAYOUT_CHUNK_SIZE": str(chunk_size), "PAYOUT_POLL_INTERVAL_SECONDS": "0.5",
           "LOG_LEVEL": "WARNING"}
    log = (workdir / "payments.log").open("ab")
    # One relay for the database: its own process, or the first payments process
    # (docs/operations.md).
    config_file = str(ROOT / "services" / "payments" / "config.yml")
    services = [subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", config_file,
         "payments.entrypoints.service:PaymentsService"],
        env={**env, "OUTBOX_RELAY": "true" if n == 0 and relay == "in-process" else "false"},
        cwd=workdir, stdout=log, stderr=subprocess.STDOUT) for n in range(workers)]
    relays = [subprocess.Popen(
        [sys.executable, "-m", "reintegra.messaging.relay_process", "payments", config_file],
        env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)] if relay == "own" else []
    try:
        config = {"AMQP_URI": amqp}
        _wait_for_service(config)
        with ClusterRpcProxy(config, timeout=600, context_data={"actor_id": "officer-a"}) as rpc:
            preparing = time.perf_counter()
            batch = rpc.payments.prepare_payout_batch({"programme_id": programme_id})
            prepared_in = time.perf_counter() - preparing
        # Who spent the CPU while the payouts ran: where the next gain has to come from.
        processes = {"payments": [s.pid for s in services], "relay": [r.pid for r in relays],
                     "partner": [partner.pid], "broker": _broker_pids()}
        cpu_before = {name: _cpu_seconds(pids) for name, pids in processes.items()}
        started = time.perf_counter()
        with ClusterRpcProxy(config, timeout=600, context_data={"actor_id": "officer-b"}) as rpc:
            rpc.payments.release_payout_batch(batch["id"])
        paid, elapsed = _wait_until_paid(url, count, started)
        cpu = {name: _cpu_seconds(pids) - cpu_before[name] for name, pids in processes.items()}
        backlog = _count(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        drained_after = _wait_until_relayed(url, started)
        peak_rss_mb = [_peak_rss_mb(service.pid) for service in services]
        counts = partner.control.transfer_counts()
        posted = _count(url, "SELECT count(*) FROM ledger_operations WHERE operation = 'post'")
    finally:
        for service in services + relays:
            service.terminate()
        for service in services + relays:
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()
        partner.stop()
        management("DELETE", f"/vhosts/{vhost}")
    return {"count": count, "paid": paid, "elapsed": elapsed, "rate": paid / elapsed,
            "peak_rss_mb": peak_rss_mb, "partner": counts, "posted": posted,
            "seeded_in": seeded_in, "prepared_in": prepared_in, "outbox_backlog": backlog,
            "drained_after": drained_after, "workers": workers, "relay": relay, "cpu": cpu,
            "database": _database_name(url),
            "batch_total": batch["progress"]["total"]}


def _bind_event_sink(amqp: str) -> None:
    """Somebody must listen to payments' events, as notifications and reporting will: the
    outbox relay publishes with mandatory routing and keeps unroutable events."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp))
    channel = connection.channel()
    channel.exchange_declare("payments.events", exchange_type="topic", durable=True)
    channel.queue_declare("bench.payments_events", durable=True)
    channel.queue_bind("bench.payments_events", "payments.events", routing_key="#")
    connection.close()


def _wait_until_relayed(url: str, started: float, limit_s: float = 900) -> float | None:
    engine = sa.create_engine(url)
    deadline = time.perf_counter() + limit_s
    try:
        while time.perf_counter() < deadline:
            with engine.connect() as conn:
                if not conn.execute(sa.text(
                        "SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar_one():
                    return time.perf_counter() - started
            time.sleep(1)
        return None
    finally:
        engine.dispose()


def _wait_for_service(config: dict, timeout: float = 60) -> None:
    from nameko.standalone.rpc import ClusterRpcProxy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with ClusterRpcProxy(config, timeout=2) as rpc:
                rpc.payments.health()
                return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("payments did not start")


def _wait_until_paid(url: str, count: int, started: float) -> tuple[int, float]:
    engine = sa.create_engine(url)
    paid = 0
    last_change, last_paid = time.perf_counter(), 0
    while paid < count:
        time.sleep(0.5)
        with engine.connect() as conn:
            paid = conn.execute(sa.text("SELECT count(*) FROM payouts WHERE status = 'paid'")).scalar_one()
        if paid != last_paid:
            last_change, last_paid = time.perf_counter(), paid
            print(f"  {paid:>7} paid after {last_change - started:6.1f} s", flush=True)
        if time.perf_counter() - last_change > 120:
            break  # stuck: report what we have
    engine.dispose()
    return paid, time.perf_counter() - started


def _count(url: str, query: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(query)).scalar_one()
    engine.dispose()
    return value


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far (their threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def _broker_pids() -> list[int]:
    """The local RabbitMQ's Erlang VM (infra/local/rabbitmq.sh), if this machine runs one."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes()
        except OSError:
            continue  # gone meanwhile
        if b"beam.smp" in command and b"rabbit" in command:
            found.append(int(cmdline.parent.name))
    return found


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# Report ------------------------------------------------------------------------------------

def markdown(raw_rate: float, result: dict, chunk_size: int) -> str:
    partner = result["partner"]
    duplicates = partner["maxPerExternalId"] > 1 or partner["transfers"] != result["paid"]
    ratio = result["rate"] / raw_rate
    return f"""
### Payout pipeline: {result['count']:,} due instalments released and paid ({_setup(result)})

| measure | value |
| --- | --- |
| raw broker (pika publish with confirms + consume, {result['count']:,} persistent msgs) | {raw_rate:,.0f} msg/s |
| payouts paid end to end (release → all `paid`) | {result['paid']:,} in {result['elapsed']:.1f} s |
| **payouts per second** | **{result['rate']:,.0f}/s** |
| ratio to the raw broker rate (goal ≥ 25 %) | **{ratio:.0%}** |
| peak RSS of {'the payments process' if result['workers'] == 1 else 'each payments process'} | {' / '.join(f'{mb:.0f}' for mb in result['peak_rss_mb'])} MB |
| partner transfers / distinct payouts / max per payout | {partner['transfers']:,} / {partner['distinctExternalIds']:,} / {partner['maxPerExternalId']} |
| ledger postings of paid payouts | {result['posted']:,} |
| duplicates | {'**YES**' if duplicates else 'none'} |
| batch prepared in (not timed above) | {result['prepared_in']:.1f} s |
| CPU per payout while they ran: payments / relay / partner / broker | {_cpu_per_payout(result)} |
| outbox events still to relay when all were paid | {result['outbox_backlog']:,} |
| every event relayed to the broker after | {_seconds(result['drained_after'])} |
| payouts per second until every event was relayed too | {_sustained(result)} |

{_processes(result['workers'], result['relay'])} on {result['database']}.
One sandbox partner process (settle delay 200 ms, bulk transfer and bulk status endpoints),
chunks of {chunk_size} payouts per message.
"""


def _cpu_per_payout(result: dict) -> str:
    per_payout = [f"{result['cpu'][name] / max(result['paid'], 1) * 1e6:,.0f} µs"
                  if name != "relay" or result["relay"] == "own" else "(in payments)"
                  for name in ("payments", "relay", "partner", "broker")]
    busy = result["cpu"]["payments"] / result["elapsed"] / result["workers"]
    return " / ".join(per_payout) + f" (payments {busy:.0%} busy)"


def _database_name(url: str) -> str:
    backend = sa.engine.make_url(url).get_backend_name()
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(backend, backend)


def _setup(result: dict) -> str:
    processes = "one payments process" if result["workers"] == 1 else \
        f"{result['workers']} payments processes"
    relay = ", relay inside payments" if result["relay"] == "in-process" else ""
    return f"{processes}{relay}, {result['database']}"


def _processes(workers: int, relay: str) -> str:
    payments = ("One `nameko run` payments process" if workers == 1 else
                f"{workers} `nameko run` payments processes sharing the database")
    if relay == "own":
        return payments + " (its outbox relay a process of its own)"
    return payments + (" (relaying its own outbox)" if workers == 1 else
                       " (the first relaying the outbox)")


def _sustained(result: dict) -> str:
    drained_after = result["drained_after"]
    return "—" if drained_after is None else f"{result['paid'] / drained_after:,.0f}/s"


def _seconds(value: float | None) -> str:
    return "not within 15 min" if value is None else f"{value:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite)")
    parser.add_argument("--workers", type=int, default=1,
                        help="payments processes sharing the database (default 1)")
    parser.add_argument("--relay", choices=("own", "in-process"), default="own",
                        help="the outbox relay as its own process (default) or inside payments")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    print(f"raw broker: {args.count:,} messages ...", flush=True)
    raw_rate = raw_broker_rate(args.count)
    print(f"  {raw_rate:,.0f} msg/s", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-payments-") as tmp:
        print(f"pipeline: seeding {args.count:,} due instalments ...", flush=True)
        result = run_pipeline(args.count, args.database_url, Path(tmp), args.chunk_size,
                              args.workers, args.relay)
    text = markdown(raw_rate, result, args.chunk_size)
    print(text)
    if not args.no_report:
        # Each configuration keeps its own figures in docs/performance.md.
        section = ("payments_pipeline" + (f"_{args.workers}_workers" if args.workers > 1 else "")
                   + ("_" + result["database"].lower() if args.database_url else "")
                   + ("_relay_in_process" if args.relay == "in-process" else ""))
        write_section(section, text)


if __name__ == "__main__":
    main()
