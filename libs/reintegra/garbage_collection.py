"""How often a service process runs Python's cyclic garbage collector.

CPython starts a young-generation collection after every 700 new container objects. A payout
chunk builds hundreds of thousands of short-lived objects (rows, payouts, postings, events)
that stay alive until the chunk's transaction ends, so each collection walked them all again,
promoted them, and every few seconds a full collection walked the whole heap: SQLAlchemy's
compiled statements, nameko, the contract validators. Measured with
`bench/payments_runner_phases.py` (20,000 payouts): 534 µs per payout with the default
thresholds, 413 with the collector off, 427 with the thresholds below.

So a service collects after 10,000 new objects instead of 700 (a few MB more at most; memory
is not what these processes are short of), and what it built while starting — modules,
tables, compiled statements, which live as long as the process — is frozen out of every
later collection. Nothing stops being collected: cycles still are, only in larger batches.
"""
from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
OLDER_THRESHOLDS = (10, 10)


def collect_in_larger_batches() -> None:
    """Raise the collector's thresholds and freeze what exists so far (call once the
    process has built its long-lived objects; calling again is harmless)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
