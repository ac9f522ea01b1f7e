"""Reading the audit trail (auditors only), newest first, page by page."""
from __future__ import annotations

from reintegra.contracts.errors import InvalidInput
from intake.adapters import audit_log
from intake.service_layer.caller import require_actor

AUDITOR = "auditor"
DEFAULT_LIMIT, MAX_LIMIT = 50, 500


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
    try:
        page_size = DEFAULT_LIMIT if limit in (None, "") else int(limit)
    except (TypeError, ValueError):
        page_size = 0
    if not 1 <= page_size <= MAX_LIMIT:
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
