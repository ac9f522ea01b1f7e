"""Possible duplicates: found through the indexed `blocking_keys` table, recorded per pair
in `duplicate_candidates`, decided by a person.

Finding candidates is one primary-key lookup per key of the new person (a handful), so it
costs the same against a thousand cases or a million.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

import sqlalchemy as sa

from reintegra.contracts.errors import NotFound
from intake.adapters.tables import blocking_keys, duplicate_candidates as pairs
from intake.domain.duplicates import ReviewDecision, reasons_for_shared_keys

# A phone shared by a whole family, or a very common name, must not flood the reviewer.
MAX_CANDIDATES = 20


def find_candidates(session, keys: frozenset[str], excluding: str | None = None
                    ) -> dict[str, list[str]]:
    """{case id: reasons} of the cases sharing at least one key, strongest evidence first."""
    if not keys:
        return {}
    rows = session.execute(sa.select(blocking_keys.c.case_id, blocking_keys.c.key)
                           .where(blocking_keys.c.key.in_(sorted(keys)))).all()
    shared: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.case_id != excluding:
            shared[row.case_id].add(row.key)
    found = {case_id: reasons_for_shared_keys(k) for case_id, k in shared.items()}
    strongest = sorted(found, key=lambda case_id: (_strength(found[case_id]), case_id))
    return {case_id: found[case_id] for case_id in strongest[:MAX_CANDIDATES]}


def _strength(reasons: list[str]) -> tuple:
    return (-len(reasons), reasons)


def record_candidates(session, case_id: str, candidates: dict[str, list[str]],
                      at: datetime) -> None:
    if candidates:
        session.execute(pairs.insert(), [
            {"case_id": case_id, "other_case_id": other, "reasons": reasons, "found_at": at}
            for other, reasons in candidates.items()])


def candidates_of(session, case_id: str) -> list[dict]:
    """Every pair the case is part of, whichever of the two was registered first."""
    rows = session.execute(sa.select(pairs).where(
        sa.or_(pairs.c.case_id == case_id, pairs.c.other_case_id == case_id))
        .order_by(pairs.c.found_at, pairs.c.case_id, pairs.c.other_case_id)).all()
    return [{"case_id": r.other_case_id if r.case_id == case_id else r.case_id,
             "reasons": r.reasons, "decision": r.decision, "decided_by": r.decided_by,
             "decided_at": _iso(r.decided_at)} for r in rows]


def decide(session, case_id: str, other_case_id: str, decision: ReviewDecision,
           actor_id: str, at: datetime) -> str | None:
    """Record the decision on the pair; returns the decision it replaces."""
    pair = sa.or_(sa.and_(pairs.c.case_id == case_id, pairs.c.other_case_id == other_case_id),
                  sa.and_(pairs.c.case_id == other_case_id, pairs.c.other_case_id == case_id))
    row = session.execute(sa.select(pairs.c.decision).where(pair)).first()
    if row is None:
        raise NotFound(f"case {other_case_id} is not a possible duplicate of case {case_id}")
    session.execute(pairs.update().where(pair).values(
        decision=decision.value, decided_by=actor_id, decided_at=at))
    return row.decision


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment.astimezone(timezone.utc) if moment.tzinfo
            else moment.replace(tzinfo=timezone.utc)).isoformat()
