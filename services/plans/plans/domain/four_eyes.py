"""Who may do what to a plan.

Case staff (caseworkers and supervisors) draft, submit and revise plans. A version is
reviewed — approved or rejected — only by a supervisor who neither drafted nor submitted
it, so no single person can both propose and authorise spending.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .errors import NotAllowed


class Role(str, Enum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    FINANCE_OFFICER = "finance_officer"
    OPERATIONS = "operations"
    ADMIN = "admin"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: Role


class FourEyesViolation(NotAllowed):
    """The reviewer took part in writing the version under review."""


CASE_STAFF = frozenset({Role.CASEWORKER, Role.SUPERVISOR})


def check_case_staff(actor: Actor, action: str) -> None:
    if actor.role not in CASE_STAFF:
        raise NotAllowed(f"{actor.user_id} is {actor.role.value}: only caseworkers and "
                         f"supervisors may {action} a plan")


def check_reviewer(actor: Actor, version: int, drafted_by: str, submitted_by: str | None,
                   action: str) -> None:
    if actor.role != Role.SUPERVISOR:
        raise NotAllowed(f"{actor.user_id} is {actor.role.value}: only a supervisor may "
                         f"{action} a plan")
    if actor.user_id == drafted_by:
        raise FourEyesViolation(f"{actor.user_id} drafted version {version} and so may "
                                f"not {action} it: another supervisor must")
    if actor.user_id == submitted_by:
        raise FourEyesViolation(f"{actor.user_id} submitted version {version} and so may "
                                f"not {action} it: another supervisor must")
