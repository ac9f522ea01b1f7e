"""What notifications answers about the notices it holds."""
from __future__ import annotations

from reintegra.contracts.errors import InvalidInput

from notifications.adapters.notice_repository import NoticeRepository
from notifications.domain.notices import STAFF_ROLES

MAX_NOTICES = 500


def notices_for_case(session, case_id: str) -> dict:
    repository = NoticeRepository(session)
    return {"case_id": case_id, "staff": repository.staff_notices_for_case(case_id),
            "beneficiary": repository.beneficiary_messages_for_case(case_id)}


def staff_notice_kinds_for_case(session, case_id: str) -> list[str]:
    return [notice["kind"] for notice in NoticeRepository(session).staff_notices_for_case(case_id)]


def notices_for_role(session, role: str, limit: int) -> dict:
    if role not in STAFF_ROLES:
        raise InvalidInput("unknown role", {"role": [f"one of {', '.join(sorted(STAFF_ROLES))}"]})
    if not 1 <= limit <= MAX_NOTICES:
        raise InvalidInput("bad limit", {"limit": [f"between 1 and {MAX_NOTICES}"]})
    return {"role": role, "notices": NoticeRepository(session).staff_notices_for_role(role, limit)}
