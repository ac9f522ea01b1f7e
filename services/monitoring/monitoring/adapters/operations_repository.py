"""Reads and writes the operations read model (SQLAlchemy Core on monitoring's tables)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from reintegra.money import Money

from monitoring.adapters.tables import (budget_movements, due_instalments, followed_cases,
                                        payout_states)
from monitoring.domain.operations import BudgetMovement, DueInstalment, PayoutFact


class OperationsRepository:
    def __init__(self, session):
        self.session = session

    def follow_case(self, case_id: str, programme_id: str, status: str,
                    registered_at: datetime) -> None:
        """Record a case intake registered (the inbox has made sure it is the first time)."""
        self.session.execute(followed_cases.insert().values(
            case_id=case_id, programme_id=programme_id, status=status,
            registered_at=registered_at))

    def followed_case(self, case_id: str) -> dict | None:
        row = self.session.execute(sa.select(followed_cases)
                                   .where(followed_cases.c.case_id == case_id)).first()
        return {**row._mapping, "registered_at": row.registered_at.isoformat()} if row else None

    def programme_of_case(self, case_id: str) -> str | None:
        return self.session.execute(sa.select(followed_cases.c.programme_id)
                                    .where(followed_cases.c.case_id == case_id)).scalar()

    def payout_status(self, payout_id: str) -> str | None:
        return self.session.execute(sa.select(payout_states.c.status)
                                    .where(payout_states.c.payout_id == payout_id)).scalar()

    def save_payout(self, payout_id: str, instalment_id: str, programme_id: str, route: str,
                    status: str, amount: Money, known: bool) -> None:
        if known:
            self.session.execute(payout_states.update()
                                 .where(payout_states.c.payout_id == payout_id)
                                 .values(status=status))
            return
        self.session.execute(payout_states.insert().values(
            payout_id=payout_id, instalment_id=instalment_id, programme_id=programme_id,
            route=route, status=status, amount=amount.amount, currency=amount.currency))

    def add_budget_movement(self, event_id: str, programme_id: str, reservation_id: str,
                            kind: str, amount: Money) -> None:
        self.session.execute(budget_movements.insert().values(
            event_id=event_id, programme_id=programme_id, reservation_id=reservation_id,
            kind=kind, amount=amount.amount, currency=amount.currency))

    def save_due_instalment(self, instalment_id: str, programme_id: str, case_id: str,
                            number: int, amount: Money) -> None:
        values = dict(programme_id=programme_id, case_id=case_id, number=number,
                      amount=amount.amount, currency=amount.currency)
        updated = self.session.execute(due_instalments.update()
                                       .where(due_instalments.c.instalment_id == instalment_id)
                                       .values(**values))
        if updated.rowcount == 0:
            self.session.execute(due_instalments.insert().values(instalment_id=instalment_id,
                                                                 **values))

    def payouts_of(self, programme_id: str) -> list[PayoutFact]:
        rows = self.session.execute(sa.select(payout_states)
                                    .where(payout_states.c.programme_id == programme_id)).all()
        return [PayoutFact(r.instalment_id, r.route, r.status, Money(r.amount, r.currency))
                for r in rows]

    def budget_movements_of(self, programme_id: str) -> list[BudgetMovement]:
        rows = self.session.execute(sa.select(budget_movements)
                                    .where(budget_movements.c.programme_id == programme_id)).all()
        return [BudgetMovement(r.kind, Money(r.amount, r.currency)) for r in rows]

    def due_instalments_of(self, programme_id: str) -> list[DueInstalment]:
        rows = self.session.execute(sa.select(due_instalments)
                                    .where(due_instalments.c.programme_id == programme_id)).all()
        return [DueInstalment(r.instalment_id, Money(r.amount, r.currency)) for r in rows]
