"""What the case aggregate records becomes what the contracts promise (contracts/intake.py).

Only ids, statuses, codes, dates and the vulnerability *level* leave: a journey event
carries the travel and arrival dates other services plan with, not the free-text reason,
not the destination airport, and never a name or a vulnerability factor.
"""
from __future__ import annotations

from intake.domain.case import Case
from intake.domain.events import CASE_REGISTERED, CaseEvent

_JOURNEY_DATES = ("travel_date", "arrival_date")


def publish_recorded_events(uow, case: Case) -> None:
    for event in case.events:
        uow.publish(event.name, contract_data(event, case))
    case.events.clear()


def contract_data(event: CaseEvent, case: Case) -> dict:
    message = event.to_message()
    ids = {"case_id": message["case_id"], "programme_id": message["programme_id"]}
    if event.name == CASE_REGISTERED:
        return {**ids, "status": message["status"], "return_country": message["return_country"],
                "vulnerability_level": message["vulnerability_level"],
                "intends_to_apply": case.person.intends_to_apply_for_reintegration,
                "registered_at": message["occurred_at"]}
    return {**ids, "from_status": message["from_status"], "to_status": message["status"],
            "at": message["occurred_at"],
            **{name: message[name] for name in _JOURNEY_DATES if name in message}}
