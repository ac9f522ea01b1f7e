"""Reading the audit trail (auditors only), newest first, page by page."""
from __future__ import annotations

from reintegra import paging
from reintegra.contracts.errors import InvalidInput
from intake.adapters import audit_log
from intake.service_layer.caller import require_actor

AUDITOR = "auditor"
MAX_LIMIT = 500  # auditors read long stretches of the trail


def audit_trail(db, entity_id: str | None = None, limit: int | str | None = None,
                cursor: str | None = None) -> dict:
    page_size, before_id = _page(limit, cursor)
    with db.unit_of_work() as uow:
        require_actor(uow, (AUDITOR,))
        entries = audit_log.read(uow.session, entity_id=entity_id or None,
                                 limit=page_size + 1, before_id=before_id)
    page = entries[:page_size]
    more = len(entries) > page_size
    return {"items": page, "next_cursor": str(page[-1]["id"]) if more and page else None}


def _page(limit, cursor) -> tuple[int, int | None]:
    fields = {}
    page_size = paging.page_size(limit, maximum=MAX_LIMIT)
    if page_size is None:
        fields["limit"] = [f"must be a whole number from 1 to {MAX_LIMIT}"]
    before_id = None
    if cursor not in (None, ""):
        if not str(cursor).isdigit():
            fields["cursor"] = ["is not a cursor this trail returned"]
        else:
            before_id = int(cursor)
    if fields:
        raise InvalidInput("the audit query is not valid", fields=fields)
    return page_size, before_id
