"""Who is acting: the gateway puts the authenticated user in every RPC's context."""
from __future__ import annotations

from datetime import datetime, timezone

from reintegra.contracts.errors import Forbidden


def require_actor(uow, roles: tuple[str, ...] | None = None) -> dict:
    """The acting user ({"id", "role"}); refuses anonymous calls and, when `roles` is
    given, every other role — the gateway checks roles too, intake does not rely on it."""
    actor = uow.actor
    if not actor or not actor.get("id"):
        raise Forbidden("intake needs to know who is acting")
    if roles is not None and actor.get("role") not in roles:
        raise Forbidden(f"role {actor.get('role')} may not do this",
                        details={"permitted_roles": list(roles)})
    return actor


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
