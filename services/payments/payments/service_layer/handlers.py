"""Payments' reactions to intake's programme and case events; each runs once per event (inbox)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from reintegra.money import Money

from payments.adapters.tables import beneficiary_cases, programmes
from payments.domain.vouchers import DEFAULT_EXPIRY_DAYS
from payments.service_layer.budget import allocate_budget


def record_programme(uow, data: dict) -> None:
    uow.session.execute(programmes.insert().values(
        id=data["programme_id"], currency=data["currency"],
        allowance_cap=data["allowance_cap"]["amount"], instalment_split=data["instalment_split"],
        justification_threshold_percent=data["justification_threshold_percent"],
        voucher_expiry_days=data.get("voucher_expiry_days") or DEFAULT_EXPIRY_DAYS))
    budget = {source["code"]: Money.from_dict(source["budget"])
              for source in data["funding_sources"] if source["budget"]["amount"] > 0}
    if budget:
        allocate_budget(uow, data["programme_id"], budget)


def record_case(uow, data: dict) -> None:
    uow.session.execute(beneficiary_cases.insert().values(
        case_id=data["case_id"], programme_id=data["programme_id"], status=data["status"],
        return_country=data["return_country"], updated_at=datetime.now(timezone.utc)))


def beneficiary_case(session, case_id: str) -> dict | None:
    row = session.execute(sa.select(beneficiary_cases)
                          .where(beneficiary_cases.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None
