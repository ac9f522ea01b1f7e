"""What plans learned from intake, looked up or refused with 404 (events may still be on
their way: a case registered a moment ago may not be known here yet)."""
from __future__ import annotations

from reintegra.contracts.errors import NotFound
from reintegra.money import Money

from plans.adapters.application_repository import CaseFactsRepository, ProgrammeFacts
from plans.domain.case_facts import CaseFacts


def case_of(session, case_id: str) -> CaseFacts:
    case = CaseFactsRepository(session).get(case_id)
    if case is None:
        raise NotFound(f"case {case_id} is not known to plans (yet)")
    return case


def cap_of(session, programme_id: str) -> Money:
    cap = ProgrammeFacts(session).cap(programme_id)
    if cap is None:
        raise NotFound(f"programme {programme_id} is not known to plans (yet)")
    return cap
