"""Where payments' CPU goes per payout, phase by phase, without the broker or the partner.

    .venv/bin/python bench/payments_runner_phases.py            # --count 10000 [--database-url ...]

Seeds N due instalments exactly as `payments_pipeline.py` does, prepares and releases the
batch through payments' service layer (two officers), then drives the real `PayoutRunner`:
claim → submit → record "submitted" in chunks of 500, then poll → record "paid" until every
payout is paid. The provider is an instant in-process route (submit answers "submitted",
a status look-up answers "paid"), so what is timed is payments' own work: the figure the
pipeline benchmark shows as payments' CPU per payout, split by phase. It prints; it writes
nothing to docs/performance.md (it is a profile, not a goal: the goal is measured end to end
by `payments_pipeline.py`).

Phases nest (e.g. `record.post.ledger_save` is inside `record.post`, inside `record`),
so the rows do not add up to the total.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from reintegra.garbage_collection import collect_in_larger_batches  # noqa: E402
from reintegra.messaging import storage  # noqa: E402
from reintegra.messaging.migrations import upgrade  # noqa: E402

from payments.adapters import ledger_repository, schedule_repository  # noqa: E402
from payments.domain.ledger import BudgetLedger  # noqa: E402
from payments.service_layer import batches, payout_runner  # noqa: E402
from payments.service_layer.exchange_rates import PayoutCurrencySettings  # noqa: E402
from payments.service_layer.payout_route import PayoutRoute, ProviderReport  # noqa: E402

from payments_pipeline import seed_due_instalments  # noqa: E402


class InstantRoute(PayoutRoute):
    """Answers at once, as a provider with no latency would: accepted, then paid."""
    name = "mobile_money"
    orders_per_submission = None  # a whole chunk per step, as the partner's bulk API takes it

    def submit(self, order):
        return ProviderReport("submitted", f"instant-{order.payout_id[:8]}")

    def fetch_status(self, order):
        return ProviderReport("paid", f"instant-{order.payout_id[:8]}")


class PhaseClock:
    """Adds up the wall time spent in chosen functions (each wrapped in place)."""

    def __init__(self):
        self.seconds: collections.Counter = collections.Counter()

    def watch(self, owner, attribute: str, phase: str) -> None:
        original = getattr(owner, attribute)
        seconds = self.seconds

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[phase] += time.perf_counter() - started

        # A static method wrapped by a plain function would be handed `self` too.
        is_static = isinstance(vars(owner).get(attribute), staticmethod)
        setattr(owner, attribute, staticmethod(timed) if is_static else timed)


def watch_phases(clock: PhaseClock) -> None:
    runner, payouts = payout_runner.PayoutRunner, payout_runner.PayoutRepository
    for owner, attribute, phase in [
            (runner, "claim", "claim"),
            (runner, "submit", "submit"),
            (runner, "record", "record"),
            (runner, "_settle", "record.settle"),
            (runner, "_post", "record.post"),
            (ledger_repository.LedgerRepository, "load", "record.post.ledger_load"),
            (BudgetLedger, "post", "record.post.ledger_post (domain)"),
            (ledger_repository.LedgerRepository, "save", "record.post.ledger_save"),
            (schedule_repository.ScheduleRepository, "by_instalments", "record.settle.schedules_load"),
            (schedule_repository.ScheduleRepository, "save", "record.settle.schedules_save"),
            (payouts, "by_ids", "payouts: load by id (claim, record)"),
            (payouts, "where", "payouts: load due (poll)"),
            (payouts, "save", "payouts: save"),
            (payouts, "look_again_at", "payouts: poll lease"),
            (payout_runner, "_publish", "payout events into the outbox"),
            (payout_runner, "payees_for", "payees looked up"),
            (storage.UnitOfWork, "commit", "commits")]:
        clock.watch(owner, attribute, phase)


def run(count: int, database_url: str | None, workdir: Path, profile: str | None = None) -> dict:
    url = database_url or f"sqlite:///{workdir / 'payments.sqlite'}"
    upgrade("payments", url)
    programme_id = seed_due_instalments(url, count)
    store = storage.Store(url, source="payments")
    with store.unit_of_work() as uow:
        batch = batches.prepare_batch(uow, {"programme_id": programme_id}, "officer-a", None,
                                      {"mobile_money"})
        uow.commit()
    currencies = PayoutCurrencySettings.from_config(
        {"PAYOUT_CURRENCIES": {"mobile_money": {"GM": "GMD"}}})
    with store.unit_of_work() as uow:
        batches.release_batch(uow, batch["id"], "officer-b", 500, currencies)
        uow.commit()
    with store.unit_of_work() as uow:
        ids = uow.session.execute(sa.text("SELECT id FROM payouts ORDER BY id")).scalars().all()
    clock = PhaseClock()
    watch_phases(clock)
    collect_in_larger_batches()  # as a payments process does once started
    runner = payout_runner.PayoutRunner(store, {"mobile_money": InstantRoute()},
                                        payout_runner.RunnerSettings(poll_interval_seconds=0))
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    for start in range(0, len(ids), 500):
        runner.run(ids[start:start + 500])
    submitted = time.perf_counter()
    while runner.poll():
        pass
    finished = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    with store.unit_of_work() as uow:
        paid = uow.session.execute(sa.text(
            "SELECT count(*) FROM payouts WHERE status = 'paid'")).scalar_one()
    store.dispose()
    return {"count": count, "paid": paid, "submit_phase": submitted - started,
            "paid_phase": finished - submitted, "phases": clock.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite)")
    parser.add_argument("--profile", metavar="FILE", default=None,
                        help="also write cProfile stats of the runner alone (not the seeding)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-runner-") as tmp:
        result = run(args.count, args.database_url, Path(tmp), args.profile)
    per_payout = 1e6 / result["count"]
    print(f"paid {result['paid']:,} of {result['count']:,}")
    print(f"{'claim, submit, record submitted':40s} {result['submit_phase'] * per_payout:6.0f} µs/payout")
    print(f"{'poll, record paid':40s} {result['paid_phase'] * per_payout:6.0f} µs/payout")
    print(f"{'total':40s} {(result['submit_phase'] + result['paid_phase']) * per_payout:6.0f} µs/payout")
    print("phases (nested, wall time):")
    for phase, seconds in sorted(result["phases"].items()):
        print(f"  {phase:38s} {seconds * per_payout:6.0f} µs/payout")


if __name__ == "__main__":
    main()
