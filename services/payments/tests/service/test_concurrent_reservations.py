"""200 reservations of EUR 1,000 racing for EUR 50,000 from eight processes at once: exactly 50
are granted, on SQLite and on PostgreSQL — the database's locks decide, not a check-then-write."""
import json
import subprocess
import sys
import time
import uuid

import sqlalchemy as sa

from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.service_layer.budget import allocate_budget, get_budget

PROCESSES, PER_PROCESS = 8, 25

# Each worker process reserves EUR 1,000 PER_PROCESS times through the service layer, on its
# own engine, starting at the same instant as the others.
WORKER = """
import json, sys, time
from reintegra.contracts.errors import Conflict
from reintegra.messaging.storage import Store
from reintegra.money import Money
from payments.service_layer.budget import reserve_budget
url, programme_id, worker, count, start_at = sys.argv[1:6]
store = Store(url, source="payments")
granted = refused = 0
time.sleep(max(0.0, float(start_at) - time.time()))
for n in range(int(count)):
    with store.unit_of_work() as uow:
        try:
            reserve_budget(uow, f"w{worker}-{n}", programme_id, f"plan:w{worker}-{n}",
                           Money(100_000, "EUR"))
            uow.commit()
            granted += 1
        except Conflict:
            refused += 1
print(json.dumps({"granted": granted, "refused": refused}))
"""


def _funded(url: str) -> str:
    programme_id = str(uuid.uuid4())
    store = Store(url, source="payments")
    with store.unit_of_work() as uow:
        allocate_budget(uow, programme_id, {"EU": Money(3_750_000, "EUR"),
                                            "PT": Money(1_250_000, "EUR")})
        uow.commit()
    store.dispose()
    return programme_id


def test_two_hundred_concurrent_reservations_of_1000_against_50000_grant_exactly_50(
        payments_config):
    url = payments_config["DATABASE_URL"]
    programme_id = _funded(url)
    start_at = time.time() + 2.0
    workers = [subprocess.Popen(
        [sys.executable, "-c", WORKER, url, programme_id, str(w), str(PER_PROCESS), str(start_at)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(PROCESSES)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert sum(r["granted"] for r in results) == 50
    assert sum(r["refused"] for r in results) == 150
    store = Store(url, source="payments")
    with store.unit_of_work() as uow:
        report = get_budget(uow.session, programme_id)
        reservations = uow.session.execute(sa.text(
            "SELECT count(*) FROM ledger_operations WHERE operation = 'reserve'")).scalar_one()
    store.dispose()
    assert reservations == 50
    assert report["available"]["amount"] == 0 and report["reserved"]["amount"] == 5_000_000
    assert all(s["available"]["amount"] == 0 for s in report["by_funding_source"])
