"""Who is acting, as the domain understands it, from the identity the gateway passed on."""
from __future__ import annotations

from reintegra.contracts.errors import Forbidden

from plans.domain.four_eyes import Actor, Role


def actor_from(caller: dict | None) -> Actor:
    """The caller's identity, or Forbidden: every change to a plan names who made it."""
    if not caller or not caller.get("id"):
        raise Forbidden("the caller is not identified")
    try:
        return Actor(str(caller["id"]), Role(caller.get("role")))
    except ValueError:
        raise Forbidden(f"unknown role {caller.get('role')!r}") from None
