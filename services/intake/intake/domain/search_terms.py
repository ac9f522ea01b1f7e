"""Terms a case is found by in staff search, and how a query maps onto them.

Each registered person gets a few terms, stored in an indexed table, so a search is an
index lookup on the query's terms, never a LIKE over every case:
- n:<name token>   each normalised token of the names (accents and case folded), matched
                   by prefix, so "ami" finds Amina;
- d:<number>       the identity document number, letters and digits only;
- p:<E.164 phone>  the phone number without separators.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .duplicates import normalise_document_number, normalise_phone
from .names import normalise_name
from .person import PersonDetails

NAME, DOCUMENT, PHONE = "n:", "d:", "p:"
# Shorter name fragments match too many people to be a useful search.
MIN_NAME_FRAGMENT = 2

_PHONE_QUERY = re.compile(r"\+?[\d\s().-]{7,}")


@dataclass(frozen=True)
class SearchQuery:
    """What to look up: exact terms (document, phone) or name-token prefixes, all of
    which a case must match."""
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.exact or self.prefixes)


def search_terms(person: PersonDetails) -> frozenset[str]:
    terms = {NAME + token
             for token in normalise_name(f"{person.given_names} {person.family_names}").split()}
    if person.identity_document:
        number = normalise_document_number(person.identity_document.number)
        if number:
            terms.add(DOCUMENT + number)
    if person.contact.phone:
        terms.add(PHONE + normalise_phone(person.contact.phone))
    return frozenset(terms)


def parse_query(text: str) -> SearchQuery:
    """A phone number, a document number (anything with a digit) or name fragments."""
    text = (text or "").strip()
    if not text:
        return SearchQuery()
    if _PHONE_QUERY.fullmatch(text) and text.startswith("+"):
        return SearchQuery(exact=(PHONE + normalise_phone(text),))
    if any(ch.isdigit() for ch in text):
        return SearchQuery(exact=(DOCUMENT + normalise_document_number(text),))
    fragments = [t for t in normalise_name(text).split() if len(t) >= MIN_NAME_FRAGMENT]
    return SearchQuery(prefixes=tuple(NAME + t for t in fragments))
