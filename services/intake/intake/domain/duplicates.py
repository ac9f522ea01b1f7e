"""Blocking keys for finding people registered twice.

Every registered person gets a handful of keys; the keys go in an indexed table, so
finding the candidates for a new registration is one index lookup on its own keys, not a
comparison against every case. A match is only ever a *possible* duplicate: a person
decides whether two cases are the same person, nothing is merged automatically.

Key kinds (the prefix names the kind, so the shared keys explain the match):
- doc:<issuing country>:<document number, upper case, letters and digits only>
- phone:<E.164 number>
- name:<name key>|<date of birth>|<nationality>   (see names.name_keys)
"""
from __future__ import annotations

import re
from enum import StrEnum
from types import MappingProxyType
from typing import Iterable

from .names import name_keys
from .person import PersonDetails

SAME_DOCUMENT = "same_document"
SAME_PHONE = "same_phone"
SAME_NAME_DOB_NATIONALITY = "same_name_dob_nationality"

# Also the order reasons are reported in: strongest evidence first.
REASON_BY_PREFIX = MappingProxyType({
    "doc": SAME_DOCUMENT,
    "phone": SAME_PHONE,
    "name": SAME_NAME_DOB_NATIONALITY,
})

_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")


def blocking_keys(person: PersonDetails) -> frozenset[str]:
    keys = {f"name:{key}|{person.date_of_birth.isoformat()}|{person.nationality}"
            for key in name_keys(person.given_names, person.family_names) if key}
    document = person.identity_document
    number = normalise_document_number(document.number) if document else ""
    if number:
        keys.add(f"doc:{document.issuing_country}:{number}")
    if person.contact.phone:
        keys.add(f"phone:{normalise_phone(person.contact.phone)}")
    return frozenset(keys)


def match_reasons(new: PersonDetails, existing: PersonDetails) -> list[str]:
    """Why `existing` is a possible duplicate of `new`; empty when it is not."""
    return reasons_for_shared_keys(blocking_keys(new) & blocking_keys(existing))


def reasons_for_shared_keys(keys: Iterable[str]) -> list[str]:
    """The reasons a set of shared blocking keys stands for, strongest first — lets the
    index lookup explain a match without loading the other person."""
    prefixes = {key.split(":", 1)[0] for key in keys}
    return [reason for prefix, reason in REASON_BY_PREFIX.items() if prefix in prefixes]


def normalise_document_number(number: str) -> str:
    """'ab 123-456.7' → 'AB1234567': clerks copy separators inconsistently."""
    return _NOT_ALPHANUMERIC.sub("", number.upper())


def normalise_phone(phone: str) -> str:
    """'+351 912-345 678' → '+351912345678'."""
    return _PHONE_PUNCTUATION.sub("", phone)


class ReviewDecision(StrEnum):
    """A person's verdict on a possible duplicate; only `same_person` links the cases."""
    SAME_PERSON = "same_person"
    DIFFERENT = "different"
