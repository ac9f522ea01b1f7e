"""Staff search: `q` (name fragment, document or phone number), status, country,
programme; newest first; an opaque cursor continues where the last page ended."""
from __future__ import annotations

from reintegra import paging
from reintegra.contracts.errors import InvalidInput
from intake.adapters import case_search
from intake.adapters.repository import aware_utc
from intake.domain.journey import CaseStatus
from intake.domain.search_terms import MIN_NAME_FRAGMENT, parse_query
from intake.service_layer.caller import require_actor


def search_cases(db, q: str | None = None, status: str | None = None,
                 country: str | None = None, programme: str | None = None,
                 limit: int | str | None = None, cursor: str | None = None) -> dict:
    query, page_size, after = _parse(q, status, country, limit, cursor)
    with db.unit_of_work() as uow:
        require_actor(uow)
        rows = case_search.search(uow.session, query, status=status,
                                  country=(country or "").upper() or None, programme=programme,
                                  limit=page_size + 1, after=after)
    page = rows[:page_size]
    more = len(rows) > page_size
    return {"items": [_item(r) for r in page],
            "next_cursor": _cursor(page[-1]) if more and page else None}


def _parse(q, status, country, limit, cursor):
    """The query, page size and position, or InvalidInput naming every bad parameter."""
    fields, query = {}, parse_query(q or "")
    if q and q.strip() and query.is_empty:
        fields["q"] = [f"name fragments must have at least {MIN_NAME_FRAGMENT} letters"]
    if status and status not in tuple(CaseStatus):
        fields["status"] = [f"must be one of {', '.join(CaseStatus)}"]
    if country and not (len(country) == 2 and country.isalpha()):
        fields["country"] = ["must be an ISO 3166-1 alpha-2 country code"]
    page_size, after = paging.read_page(limit, cursor, fields, noun="search")
    if fields:
        raise InvalidInput("the search is not valid", fields=fields)
    return query, page_size, after

def _item(row) -> dict:
    person = row.person
    return {"id": row.id, "programme_id": row.programme_id, "status": row.status,
            "return_country": row.return_country,
            "registered_at": aware_utc(row.registered_at).isoformat(),
            "given_names": person["given_names"], "family_names": person["family_names"],
            "date_of_birth": person["date_of_birth"], "nationality": person["nationality"],
            "protected": row.protected}


def _cursor(row) -> str:
    return paging.encode_cursor(aware_utc(row.registered_at), row.id)
