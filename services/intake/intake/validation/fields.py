"""Schema fragments shared by the intake schemas, so a field kind is defined once."""
from __future__ import annotations

from typing import Iterable


def text(max_length: int, *, required: bool = False, nullable: bool = False,
         check_with: str | None = None) -> dict:
    rules = {"type": "string", "coerce": "strip", "empty": False, "maxlength": max_length,
             "required": required, "nullable": nullable}
    return rules | ({"check_with": check_with} if check_with else {})


def choice(values: Iterable[str], *, required: bool = False) -> dict:
    return {"type": "string", "allowed": [str(v) for v in values], "required": required}


def past_date(*, required: bool = False, lifetime: bool = False) -> dict:
    """A calendar date that is not in the future (and, with lifetime, not more than a
    human lifetime ago)."""
    checks = ["not_in_future"] + (["within_lifetime"] if lifetime else [])
    return {"type": "date", "coerce": "date", "required": required, "check_with": checks}


def any_date(*, required: bool = False) -> dict:
    return {"type": "date", "coerce": "date", "required": required}


def country(*, required: bool = False) -> dict:
    return {"type": "string", "coerce": "upper", "check_with": "country", "required": required}


def unique_list(item: dict, *, required: bool = False, min_items: int = 0,
                max_items: int = 50) -> dict:
    rules = {"type": "list", "schema": item, "check_with": "unique_items",
             "required": required, "maxlength": max_items}
    return rules | ({"minlength": min_items} if min_items else {})
