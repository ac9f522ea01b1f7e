"""What monitoring answers about programmes and cases."""
from __future__ import annotations

from monitoring.adapters.operations_repository import OperationsRepository
from monitoring.domain.operations import operations_summary


def summary_of(session, programme_id: str) -> dict:
    repository = OperationsRepository(session)
    return operations_summary(programme_id, repository.payouts_of(programme_id),
                              repository.budget_movements_of(programme_id),
                              repository.due_instalments_of(programme_id))


def followed_case(session, case_id: str) -> dict | None:
    return OperationsRepository(session).followed_case(case_id)
