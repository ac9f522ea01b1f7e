"""Keyset pagination as the public API promises it: `?limit=&cursor=`, newest first.

A cursor is the (time, id) position of the last item of a page, opaque to the client; the
next page starts strictly after it. Services keep their own ordering columns; this module
only reads the query parameters and writes the cursor.
"""
from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def page_size(limit, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int | None:
    """The asked page size (the default when none is given); None when it is not a whole
    number from 1 to `maximum`."""
    if limit is None or limit == "":
        return default
    if isinstance(limit, str) and limit.strip().isdigit():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int):
        return None  # 2.5 or "ten" is not a page size, rather than a silently different one
    return limit if 1 <= limit <= maximum else None


def read_page(limit, cursor: str | None, fields: dict[str, list[str]], noun: str = "list"):
    """The page size and the position to start after (None: the first page) that `?limit=`
    and `?cursor=` ask for; what is wrong with them is added to `fields` (field → reasons),
    a bad cursor as "is not a cursor this <noun> returned"."""
    size = page_size(limit)
    if size is None:
        fields["limit"] = [f"must be a whole number from 1 to {MAX_LIMIT}"]
    after = decode_cursor(cursor)
    if cursor and after is None:
        fields["cursor"] = [f"is not a cursor this {noun} returned"]
    return size, after


def encode_cursor(at: datetime, item_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([at.isoformat(), item_id]).encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """The position a cursor names; None for no cursor or one this API never wrote."""
    if not cursor:
        return None
    try:
        at, item_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(at), str(item_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None
