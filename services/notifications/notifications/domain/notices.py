"""What each event tells people: notices to staff, addressed to a role, and messages owed to
the beneficiary of a case.

A notice names cases, plans, instalments and payouts by id, and says amounts, routes and
reason codes — never a name or a sensitive fact — so that any member of the role may read it
and it may sit in a queue or a log without exposing anyone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from reintegra.money import Money

CASEWORKER, SUPERVISOR, FINANCE = "caseworker", "supervisor", "finance_officer"
STAFF_ROLES = frozenset({CASEWORKER, SUPERVISOR, FINANCE, "operations", "admin", "auditor"})
QUEUED = "queued"


@dataclass(frozen=True)
class StaffNotice:
    kind: str
    audience: str
    case_id: str
    text: str


@dataclass(frozen=True)
class BeneficiaryMessage:
    """A message owed to the person of a case. Only the case id is kept: how to reach them
    (their consented channel and contact) is resolved when it is sent, so `channel` stays
    empty while the message is `queued`."""
    kind: str
    case_id: str
    text: str
    status: str = QUEUED
    channel: str | None = None


@dataclass(frozen=True)
class Announcement:
    """Everything one event makes us say."""
    staff: tuple[StaffNotice, ...] = ()
    beneficiary: tuple[BeneficiaryMessage, ...] = ()


_money = Money.from_dict


def _route(route: str) -> str:
    return route.replace("_", " ")


def _tell(kind: str, audience: str, data: dict, text: str) -> Announcement:
    """One notice to one staff audience about the event's case."""
    return Announcement(staff=(StaffNotice(kind, audience, data["case_id"], text),))


def case_registered(data: dict) -> Announcement:
    return _tell("case_registered", CASEWORKER, data,
                 f"Case {data['case_id']} was registered ({data['status']}).")


def plan_approved(data: dict) -> Announcement:
    return _tell("plan_approved", CASEWORKER, data,
                 f"Plan {data['plan_id']} (version {data['version']}) of case {data['case_id']} "
                 f"was approved for {_money(data['total'])}.")


def plan_revised(data: dict) -> Announcement:
    # A revision that needs approval waits on a supervisor; one that does not only informs.
    audience = SUPERVISOR if data["needs_approval"] else CASEWORKER
    waiting = " and awaits approval" if data["needs_approval"] else ""
    return _tell("plan_revised", audience, data,
                 f"Plan {data['plan_id']} of case {data['case_id']} was revised to version "
                 f"{data['version']} ({_money(data['total'])}){waiting}.")


def plan_cancelled(data: dict) -> Announcement:
    return _tell("plan_cancelled", CASEWORKER, data,
                 f"Plan {data['plan_id']} of case {data['case_id']} was cancelled.")


def instalment_due(data: dict) -> Announcement:
    return _tell("instalment_due", FINANCE, data,
                 f"Instalment {data['number']} of case {data['case_id']} is due for payment: "
                 f"{_money(data['amount'])}.")


def payout_paid(data: dict) -> Announcement:
    amount, route = _money(data["amount"]), _route(data["route"])
    return Announcement(
        staff=(StaffNotice(
            "payout_paid", CASEWORKER, data["case_id"],
            f"Payout {data['payout_id']} of {amount} to case {data['case_id']} was paid by "
            f"{route}."),),
        beneficiary=(BeneficiaryMessage(
            "payout_paid", data["case_id"],
            f"Your reintegration allowance of {amount} has been sent by {route}."),))


def payout_failed(data: dict) -> Announcement:
    text = (f"Payout {data['payout_id']} of {_money(data['amount'])} to case {data['case_id']} "
            f"by {_route(data['route'])} failed: {data['reason']}.")
    # Finance decides whether to re-route or return the money; the caseworker may need to
    # help the person fix their payout details.
    return Announcement(staff=(StaffNotice("payout_failed", FINANCE, data["case_id"], text),
                               StaffNotice("payout_failed", CASEWORKER, data["case_id"], text)))


ANNOUNCEMENTS: dict[str, Callable[[dict], Announcement]] = {
    rule.__name__: rule for rule in (case_registered, plan_approved, plan_revised,
                                     plan_cancelled, instalment_due, payout_paid, payout_failed)}


def announcement_for(event_type: str, data: dict) -> Announcement:
    """What `event_type` with its contract's `data` makes us tell staff and beneficiaries."""
    return ANNOUNCEMENTS[event_type](data)
