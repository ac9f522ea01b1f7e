"""Errors the intake domain raises; the entrypoints map each to one HTTP status."""
from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request (the payload itself was well formed)."""


class IllegalTransition(DomainError):
    """The case cannot move from its current state to the requested one (HTTP 409)."""

    def __init__(self, current: str, requested: str, allowed: list[str]):
        self.current = current
        self.requested = requested
        self.allowed = allowed
        targets = ", ".join(allowed) if allowed else "none: the case is final"
        super().__init__(f"cannot move a case from {current} to {requested}; "
                         f"allowed: {targets}")


class NotPermitted(DomainError):
    """The actor's role may not perform this action (HTTP 403)."""

    def __init__(self, action: str, role: str, permitted_roles: list[str]):
        self.action = action
        self.role = role
        self.permitted_roles = permitted_roles
        super().__init__(f"role {role!r} may not {action}; "
                         f"permitted: {', '.join(permitted_roles)}")


class RuleViolation(DomainError):
    """Data that breaks a rule, reported field by field (HTTP 422).

    `errors` has the same shape as the validation layer's: {"field.path": ["reason"]}.
    """

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        detail = "; ".join(f"{path}: {', '.join(reasons)}" for path, reasons in errors.items())
        super().__init__(f"{type(self).__name__}: {detail}")


class InvalidTransitionData(RuleViolation):
    """The reason or data of a transition request is missing or inconsistent."""


class InvalidEligibilityRules(RuleViolation):
    """A programme's eligibility rules are malformed."""


class InvalidVulnerabilityFactors(RuleViolation):
    """Declared vulnerability factors are inconsistent (e.g. 'other' without text)."""


class NothingToDecide(DomainError):
    """A supervisor decision was requested where none is pending (HTTP 409)."""
