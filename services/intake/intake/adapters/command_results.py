"""Idempotent commands: the first result of each request id, returned again on a retry.

A retried HTTP request, a redelivered RPC or a double click carries the same request id
(the `Idempotency-Key` header); its result is stored in the same transaction as its
effect, so the effect happens once. The same id with a different request is a conflict.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa

from reintegra.contracts.errors import Conflict
from intake.adapters.tables import command_results


def fingerprint(request) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def earlier_result(session, key: str, request_fingerprint: str) -> dict | None:
    row = session.execute(sa.select(command_results).where(command_results.c.key == key)).first()
    if row is None:
        return None
    if row.fingerprint != request_fingerprint:
        raise Conflict("this idempotency key was used for a different request",
                       fields={"Idempotency-Key": ["already used with another body"]})
    return row.result


def remember(session, key: str, request_fingerprint: str, result: dict) -> None:
    session.execute(command_results.insert().values(
        key=key, fingerprint=request_fingerprint, result=result,
        created_at=datetime.now(timezone.utc)))
