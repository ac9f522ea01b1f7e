"""Calls to a provider that has no bulk API, a few at a time instead of one after another.

Every service process runs on eventlet (nameko), whose sockets yield while a call waits for
its answer, so green threads overlap network calls without real threads. Outside a patched
process the calls still all happen, one after another.
"""
from __future__ import annotations

from typing import Callable, Iterable, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def each_at_once(call: Callable[[Item], Result], items: Iterable[Item],
                 at_once: int) -> list[Result]:
    """`[call(item) for item in items]` with up to `at_once` calls in flight; results in the
    items' order. Every item is called even if one call fails; then the first failure, in
    the items' order, is raised here (a provider call is never abandoned half-way)."""
    items = list(items)
    if at_once <= 1 or len(items) <= 1:
        return [call(item) for item in items]

    from eventlet import GreenPool  # only here: one call at a time needs no eventlet

    def guarded(item):
        try:
            return True, call(item)
        except Exception as failure:  # raised below, in the caller's green thread
            return False, failure

    outcomes = list(GreenPool(min(at_once, len(items))).imap(guarded, items))
    for succeeded, value in outcomes:
        if not succeeded:
            raise value
    return [value for _, value in outcomes]
