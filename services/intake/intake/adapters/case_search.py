"""Staff search over cases: newest first, keyset pagination, every filter on an index.

Name fragments, document and phone numbers are looked up in `search_terms` (primary key
range or equality); status, country and programme each have an index that ends with
(registered_at, id), the sort order, so a page is read in index order and stops at
`limit` rows instead of sorting the table.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from intake.adapters.tables import cases, search_terms
from intake.domain.search_terms import SearchQuery

# Above every character a normalised name token can hold: the upper end of a prefix range.
_AFTER_PREFIX = "\U0010ffff"


def search(session, query: SearchQuery, *, status: str | None = None,
           country: str | None = None, programme: str | None = None, limit: int = 50,
           after: tuple[datetime, str] | None = None) -> list:
    """Rows of cases matching everything given, newest first, strictly after `after`
    (the (registered_at, id) of the last row of the previous page)."""
    statement = sa.select(
        cases.c.id, cases.c.programme_id, cases.c.status, cases.c.return_country,
        cases.c.registered_at, cases.c.person, cases.c.protected)
    for term in query.exact:
        statement = statement.where(cases.c.id.in_(_cases_with(search_terms.c.term == term)))
    for prefix in query.prefixes:
        statement = statement.where(cases.c.id.in_(_cases_with(
            search_terms.c.term >= prefix, search_terms.c.term < prefix + _AFTER_PREFIX)))
    for column, value in ((cases.c.status, status), (cases.c.return_country, country),
                          (cases.c.programme_id, programme)):
        if value:
            statement = statement.where(column == value)
    if after:
        at, case_id = after
        statement = statement.where(sa.or_(
            cases.c.registered_at < at,
            sa.and_(cases.c.registered_at == at, cases.c.id < case_id)))
    statement = statement.order_by(cases.c.registered_at.desc(), cases.c.id.desc()).limit(limit)
    return session.execute(statement).all()


def _cases_with(*conditions):
    return sa.select(search_terms.c.case_id).where(*conditions)
