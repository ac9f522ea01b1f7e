"""The three kinds of refusal the domain gives, so the edge maps each to one HTTP code.

InvalidRequest → 422 (valid input that breaks a rule), Conflict → 409 (not possible in the
current state), NotAllowed → 403 (this actor may not do it).
"""


class PlansDomainError(Exception):
    """Base of every refusal raised by the plans domain."""


class InvalidRequest(PlansDomainError):
    """The request is well formed but breaks a business rule."""


class Conflict(PlansDomainError):
    """The request cannot be carried out in the current state."""


class NotAllowed(PlansDomainError):
    """The actor is not allowed to do this."""


class FieldRequired(InvalidRequest):
    def __init__(self, field: str):
        self.field = field
        super().__init__(f"{field} is required and must not be blank")


class IllegalTransition(Conflict):
    def __init__(self, subject: str, status: str, action: str):
        self.subject, self.status, self.action = subject, status, action
        super().__init__(f"cannot {action} {subject}: it is {status}")


def require_text(value: str | None, field: str) -> str:
    """Return `value` stripped, refusing None or blank: free text the rules depend on."""
    if value is None or not value.strip():
        raise FieldRequired(field)
    return value.strip()
