"""Domain errors become the API errors the gateway maps to HTTP, in one place."""
from __future__ import annotations

import functools

from reintegra.contracts.errors import Conflict, Forbidden, RuleViolation
from intake.domain import errors as domain


def as_api_errors(function):
    """Wraps an entrypoint: a refused business rule reaches the caller as 403, 409 or 422
    with its fields, never as an opaque remote error."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except domain.IllegalTransition as refused:
            raise Conflict(str(refused), details={
                "current": refused.current, "requested": refused.requested,
                "allowed": refused.allowed}) from None
        except domain.NotPermitted as refused:
            raise Forbidden(str(refused), details={
                "permitted_roles": refused.permitted_roles}) from None
        except domain.RuleViolation as refused:
            raise RuleViolation(str(refused), fields=refused.errors) from None
        except domain.NothingToDecide as refused:
            raise Conflict(str(refused)) from None
    return wrapper
