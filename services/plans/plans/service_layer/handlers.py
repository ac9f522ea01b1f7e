"""Plans' reactions to other services' events; each runs once per event (inbox)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from plans.adapters.tables import case_facts, programmes


def record_programme(uow, data: dict) -> None:
    uow.session.execute(programmes.insert().values(
        id=data["programme_id"], currency=data["currency"],
        allowance_cap=data["allowance_cap"]["amount"]))


def record_case(uow, data: dict) -> None:
    uow.session.execute(case_facts.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"],
        vulnerability_level=data["vulnerability_level"], intends_to_apply=data["intends_to_apply"],
        updated_at=datetime.now(timezone.utc)))


def case_facts_of(session, case_id: str) -> dict | None:
    row = session.execute(sa.select(case_facts).where(case_facts.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None
