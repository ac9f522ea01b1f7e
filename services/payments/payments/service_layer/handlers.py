"""Payments' reactions to other services' events; each runs once per event (inbox)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from payments.adapters.tables import beneficiary_cases, programmes


def record_programme(uow, data: dict) -> None:
    uow.session.execute(programmes.insert().values(
        id=data["programme_id"], currency=data["currency"],
        allowance_cap=data["allowance_cap"]["amount"], instalment_split=data["instalment_split"],
        justification_threshold_percent=data["justification_threshold_percent"]))


def record_case(uow, data: dict) -> None:
    uow.session.execute(beneficiary_cases.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"],
        return_country=data["return_country"], updated_at=datetime.now(timezone.utc)))


def beneficiary_case(session, case_id: str) -> dict | None:
    row = session.execute(sa.select(beneficiary_cases)
                          .where(beneficiary_cases.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None
