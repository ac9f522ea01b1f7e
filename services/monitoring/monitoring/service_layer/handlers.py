"""Monitoring's reactions to other services' events; each runs once per event (inbox).

Payments' payout and instalment events name the case, not the programme: the programme is
the one intake registered the case in (`case_registered`, kept in `followed_cases`).
Each handler returns the programme it touched, so its metrics can be refreshed.
"""
from __future__ import annotations

from datetime import datetime

from reintegra.money import Money

from monitoring.adapters.operations_repository import OperationsRepository
from monitoring.domain.operations import furthest_status


class UnknownCase(RuntimeError):
    """A payments event for a case whose registration has not reached us yet: retried
    (events of different queues arrive in any order), dead-lettered if it never comes."""


def follow_case(uow, data: dict) -> str:
    OperationsRepository(uow.session).follow_case(
        data["case_id"], data["programme_id"], data["status"],
        datetime.fromisoformat(data["registered_at"]))
    return data["programme_id"]


def _programme_of(repository: OperationsRepository, case_id: str) -> str:
    programme_id = repository.programme_of_case(case_id)
    if programme_id is None:
        raise UnknownCase(f"case {case_id} is not known to monitoring yet")
    return programme_id


def record_budget_movement(uow, event_id: str, kind: str, data: dict) -> str:
    OperationsRepository(uow.session).add_budget_movement(
        event_id, data["programme_id"], data["reservation_id"], kind,
        Money.from_dict(data["amount"]))
    return data["programme_id"]


def record_payout(uow, status: str, data: dict) -> str:
    repository = OperationsRepository(uow.session)
    programme_id = _programme_of(repository, data["case_id"])
    current = repository.payout_status(data["payout_id"])
    repository.save_payout(data["payout_id"], data["instalment_id"], programme_id, data["route"],
                           furthest_status(current, status), Money.from_dict(data["amount"]),
                           known=current is not None)
    return programme_id


def record_due_instalment(uow, data: dict) -> str:
    repository = OperationsRepository(uow.session)
    programme_id = _programme_of(repository, data["case_id"])
    repository.save_due_instalment(data["instalment_id"], programme_id, data["case_id"],
                                   data["number"], Money.from_dict(data["amount"]))
    return programme_id
