"""What notifications answers about the notices it holds."""
from __future__ import annotations

from reintegra import paging
from reintegra.contracts.errors import InvalidInput

from notifications.adapters.notice_repository import NoticeRepository
from notifications.domain.notices import STAFF_ROLES

DEFAULT_NOTICES, MAX_NOTICES = 100, 500


def notices_for_case(session, case_id: str) -> dict:
    repository = NoticeRepository(session)
    return {"case_id": case_id, "staff": repository.staff_notices_for_case(case_id),
            "beneficiary": repository.beneficiary_messages_for_case(case_id)}


def staff_notice_kinds_for_case(session, case_id: str) -> list[str]:
    return [notice["kind"] for notice in NoticeRepository(session).staff_notices_for_case(case_id)]


def notices_for_role(session, role: str, limit=None) -> dict:
    """The newest staff notices for one role; `limit` may come as text from a query string."""
    fields = {}
    if role not in STAFF_ROLES:
        fields["role"] = [f"one of {', '.join(sorted(STAFF_ROLES))}"]
    size = paging.page_size(limit, default=DEFAULT_NOTICES, maximum=MAX_NOTICES)
    if size is None:
        fields["limit"] = [f"a whole number from 1 to {MAX_NOTICES}"]
    if fields:
        raise InvalidInput("the notices query is not valid", fields)
    return {"role": role, "notices": NoticeRepository(session).staff_notices_for_role(role, size)}
