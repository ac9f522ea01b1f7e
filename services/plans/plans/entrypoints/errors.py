"""The domain's refusals as the API's errors: 422, 409 or 403, with the fields named."""
from __future__ import annotations

import functools

from reintegra.contracts.errors import Conflict, Forbidden, RuleViolation

from plans.domain import errors as domain
from plans.domain.plan_lines import CapExceeded, InvalidLine
from plans.domain.scoring import InvalidScore


def api_errors(method):
    """Wraps an RPC method so a domain refusal crosses the wire as an ApiError."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except domain.PlansDomainError as refusal:
            raise as_api_error(refusal) from None
    return wrapper


def as_api_error(refusal: domain.PlansDomainError):
    message = str(refusal)
    if isinstance(refusal, CapExceeded):
        return RuleViolation(message, fields={"lines": [message]}, details={
            "cap": refusal.cap.to_dict(), "excess": refusal.excess.to_dict(),
            "total": refusal.total.to_dict()})
    if isinstance(refusal, domain.InvalidRequest):
        return RuleViolation(message, fields={_field(refusal): [message]})
    if isinstance(refusal, domain.NotAllowed):
        return Forbidden(message)
    return Conflict(message)


def _field(refusal: domain.InvalidRequest) -> str:
    if isinstance(refusal, InvalidLine):
        return refusal.field
    if isinstance(refusal, InvalidScore):
        return f"scores.{refusal.criterion.value}"
    return getattr(refusal, "field", "request")
