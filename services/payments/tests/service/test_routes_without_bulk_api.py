"""A route that calls its provider once per order (Stripe, cash pickup): a few calls at once,
a few rounds of them at a time, each round recorded before the next, and the payouts still
waiting keep their claim however long the chunk takes. On a migrated database, the runner
driving a provider that takes its time (an in-process stand-in for one, outside our walls)."""
import threading
import time
import uuid
from datetime import datetime, timezone

import eventlet
import pytest
import sqlalchemy as sa

from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.adapters.tables import payouts
from payments.service_layer import batches, budget, handlers, instalments, payout_method
from payments.service_layer.payout_route import PayoutRoute, ProviderReport
from payments.service_layer.payout_runner import PayoutRunner, RunnerSettings

LEASE_SECONDS = 0.6


class SlowProvider(PayoutRoute):
    """Answers each order after `submit_delay` seconds and each holder-name look-up after
    `lookup_delay`; notes what the database says when it is handed orders."""
    name = "mobile_money"

    def __init__(self, store: Store, *, submit_delay: float, lookup_delay: float,
                 calls_at_once: int, orders_at_a_time: int):
        self.store, self.submit_delay, self.lookup_delay = store, submit_delay, lookup_delay
        self.calls_at_once, self._orders_at_a_time = calls_at_once, orders_at_a_time
        self.in_flight = 0
        self.most_in_flight = {"lookup": 0, "submit": 0, "fetch": 0}
        self.lookups: list[str] = []
        self.submissions: list[dict] = []  # per submit_many: the leases left, the others' states
        self.polls: list[dict] = []  # the same per fetch_many
        self._lock = threading.Lock()

    @property
    def orders_per_submission(self) -> int:
        return self._orders_at_a_time

    def submit_many(self, orders):
        self.submissions.append(self._as_handed(orders, payouts.c.claimed_until))
        return super().submit_many(orders)

    def fetch_many(self, orders):
        self.polls.append(self._as_handed(orders, payouts.c.next_attempt_at))
        return super().fetch_many(orders)

    def _as_handed(self, orders, lease) -> dict:
        """Whether these orders' lease (claim, or the poll's next look) still runs, and the
        states of the other payouts."""
        with self.store.unit_of_work() as uow:
            rows = uow.session.execute(sa.select(payouts.c.id, payouts.c.status, lease)).all()
        at = datetime.now(timezone.utc)
        mine = {o.payout_id for o in orders}
        return {"leased": all(_aware(r[2]) > at for r in rows if r.id in mine),
                "recorded before": sorted(r.status for r in rows if r.id not in mine)}

    def submit(self, order):
        self._wait("submit", self.submit_delay)
        return ProviderReport("submitted", f"slow-{order.payout_id[:8]}")

    def fetch_status(self, order):
        self._wait("fetch", self.submit_delay)
        return ProviderReport("paid", f"slow-{order.payout_id[:8]}")

    def account_holder_name(self, payee):
        self.lookups.append(payee.id)
        self._wait("lookup", self.lookup_delay)
        return payee.details["account_holder_name"]

    def _wait(self, call: str, seconds: float):
        with self._lock:
            self.in_flight += 1
            self.most_in_flight[call] = max(self.most_in_flight[call], self.in_flight)
        eventlet.sleep(seconds)
        with self._lock:
            self.in_flight -= 1


def _aware(moment):
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@pytest.fixture
def released_payouts(store):
    """`count` due instalments of as many cases, each with a wallet that names its holder,
    in a batch prepared by one officer and released by another; returns the payout ids."""
    def make(count: int) -> list[str]:
        programme_id = str(uuid.uuid4())
        with store.unit_of_work() as uow:
            handlers.record_programme(uow, {
                "programme_id": programme_id, "currency": "EUR",
                "allowance_cap": {"amount": 200_000, "currency": "EUR"},
                "instalment_split": [50, 50], "justification_threshold_percent": 80,
                "funding_sources": [{"code": "EU", "budget": {"amount": 150_000 * count,
                                                              "currency": "EUR"}}]})
            for n in range(count):
                case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
                handlers.record_case(uow, {"case_id": case_id, "programme_id": programme_id,
                                           "status": "registered", "return_country": "GM"})
                payout_method.set_payout_method(uow, case_id, {
                    "route": "mobile_money", "details": {
                        "phone": f"+2207200{n:03d}", "operator": "qcell",
                        "account_holder_name": f"Awa {chr(65 + n)} Jallow"}}, "caseworker-1")
                budget.reserve_budget(uow, f"plan:{plan_id}:v1:reserve", programme_id,
                                      f"plan:{plan_id}", Money(150_000, "EUR"))
                instalments.plan_approved(uow, {
                    "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id,
                    "version": 1, "total": {"amount": 150_000, "currency": "EUR"},
                    "reservation_id": f"plan:{plan_id}"})
                instalments.case_arrived(uow, {"case_id": case_id})
            batch = batches.prepare_batch(uow, {"programme_id": programme_id}, "officer-a", None,
                                          {"mobile_money"})
            batches.release_batch(uow, batch["id"], "officer-b", chunk_size=count)
            uow.commit()
        with store.unit_of_work() as uow:
            return uow.session.execute(sa.select(payouts.c.id).order_by(payouts.c.id)).scalars().all()
    return make


def slow(store, *, submit_delay=0.2, lookup_delay=0.0, calls_at_once=1, orders_at_a_time=2,
         **runner_settings) -> tuple[SlowProvider, PayoutRunner]:
    """A slow provider and a runner paying through it. By default one call at a time and two
    orders per step: each step takes 0.4 s, two thirds of the lease."""
    provider = SlowProvider(store, submit_delay=submit_delay, lookup_delay=lookup_delay,
                            calls_at_once=calls_at_once, orders_at_a_time=orders_at_a_time)
    settings = RunnerSettings(**{"lease_seconds": LEASE_SECONDS, **runner_settings})
    return provider, PayoutRunner(store, {"mobile_money": provider}, settings)


def test_a_chunk_is_submitted_a_few_orders_at_a_time_each_recorded_before_the_next_under_a_live_lease(
        store, released_payouts):
    ids = released_payouts(6)
    provider, runner = slow(store)
    started = time.monotonic()

    assert runner.run(ids) == 6

    assert time.monotonic() - started > 1.2  # three steps of 0.4 s: twice the lease
    assert [s["leased"] for s in provider.submissions] == [True, True, True]
    assert [s["recorded before"] for s in provider.submissions] == [
        ["released"] * 4, ["released"] * 2 + ["submitted"] * 2, ["submitted"] * 4]
    with store.unit_of_work() as uow:
        rows = uow.session.execute(sa.select(payouts.c.status, payouts.c.attempts)).all()
    assert sorted(rows) == [("submitted", 1)] * 6


def test_calls_to_a_provider_without_a_bulk_api_overlap_up_to_the_routes_limit(
        store, released_payouts):
    ids = released_payouts(9)
    provider, runner = slow(store, submit_delay=0.05, lookup_delay=0.05, calls_at_once=3,
                            orders_at_a_time=9, lease_seconds=30)

    runner.run(ids)

    # Each payee's holder name asked once, then each order submitted: three calls at a time.
    assert len(provider.lookups) == len(set(provider.lookups)) == 9
    assert provider.most_in_flight == {"lookup": 3, "submit": 3, "fetch": 0}
    with store.unit_of_work() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).where(
            payouts.c.status == "submitted")).scalar_one() == 9


def test_submitted_payouts_are_polled_a_few_at_a_time_each_round_recorded_under_a_live_lease(
        store, released_payouts):
    ids = released_payouts(6)
    provider, runner = slow(store, poll_interval_seconds=0)
    runner.run(ids)

    assert runner.poll() == 6

    assert [p["leased"] for p in provider.polls] == [True, True, True]
    assert [p["recorded before"] for p in provider.polls] == [
        ["submitted"] * 4, ["paid"] * 2 + ["submitted"] * 2, ["paid"] * 4]
    with store.unit_of_work() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).where(
            payouts.c.status == "paid")).scalar_one() == 6
