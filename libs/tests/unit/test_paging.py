"""Keyset pagination: the page size asked for, and cursors only this API writes."""
from datetime import datetime, timezone

from reintegra import paging


def test_a_page_size_is_a_whole_number_within_the_limit_or_the_default():
    assert paging.page_size(None) == paging.page_size("") == paging.DEFAULT_LIMIT
    assert paging.page_size("20") == 20 and paging.page_size(500, maximum=500) == 500
    assert [paging.page_size(v) for v in ("0", "201", "ten", 2.5j, 2.5, True, "-3")] == [None] * 7


def test_a_cursor_names_the_position_it_was_made_from():
    at = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
    assert paging.decode_cursor(paging.encode_cursor(at, "case-1")) == (at, "case-1")


def test_a_cursor_this_api_never_wrote_is_refused():
    assert [paging.decode_cursor(c) for c in (None, "", "not base64!", "W10=", "WyJ4IiwxXQ==")] == [
        None, None, None, None, None]
