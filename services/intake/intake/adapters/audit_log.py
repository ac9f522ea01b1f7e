"""The append-only audit trail: who did what to which entity, when, and what changed.

Rows record field *names* for sensitive data, never its values. Each row is chained to
the one before by a SHA-256 hash over its content, and database triggers refuse UPDATE
and DELETE, so the trail can be added to but not quietly edited.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa

from intake.adapters.tables import audit_log

GENESIS = "0" * 64


def append(session, *, actor: dict | None, action: str, entity_type: str, entity_id: str,
           at: datetime, fields: list[str], before: dict | None = None,
           after: dict | None = None) -> None:
    previous = session.execute(sa.select(audit_log.c.hash)
                               .order_by(audit_log.c.id.desc()).limit(1)).scalar()
    entry = {"at": at.isoformat(), "actor_id": (actor or {}).get("id"),
             "actor_role": (actor or {}).get("role"), "action": action,
             "entity_type": entity_type, "entity_id": entity_id, "fields": sorted(fields),
             "before": before, "after": after}
    previous_hash = previous or GENESIS
    session.execute(audit_log.insert().values(
        **{**entry, "at": at}, previous_hash=previous_hash,
        hash=entry_hash(previous_hash, entry)))


def entry_hash(previous_hash: str, entry: dict) -> str:
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()


def read(session, *, entity_id: str | None, limit: int, before_id: int | None) -> list[dict]:
    """Newest first; `before_id` continues from the last row of the previous page."""
    statement = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if entity_id:
        statement = statement.where(audit_log.c.entity_id == entity_id)
    if before_id is not None:
        statement = statement.where(audit_log.c.id < before_id)
    return [_entry(row) for row in session.execute(statement).all()]


def chain_is_intact(session) -> bool:
    """Whether every row's hash still matches its content and its predecessor."""
    previous = GENESIS
    for row in session.execute(sa.select(audit_log).order_by(audit_log.c.id)).all():
        entry = _entry(row)
        content = {k: entry[k] for k in ("at", "actor_id", "actor_role", "action",
                                         "entity_type", "entity_id", "fields", "before", "after")}
        if row.previous_hash != previous or row.hash != entry_hash(previous, content):
            return False
        previous = row.hash
    return True


def _entry(row) -> dict:
    at = row.at.astimezone(timezone.utc) if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
    return {"id": row.id, "at": at.isoformat(), "actor_id": row.actor_id,
            "actor_role": row.actor_role, "action": row.action, "entity_type": row.entity_type,
            "entity_id": row.entity_id, "fields": row.fields, "before": row.before,
            "after": row.after}
