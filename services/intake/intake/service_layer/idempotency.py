"""Run a command once per request id, inside the caller's unit of work."""
from __future__ import annotations

from typing import Callable

from intake.adapters import command_results


def once(uow, command: str, request_id: str | None, request,
         run: Callable[[], dict]) -> tuple[dict, bool]:
    """(result, ran): the stored first result when this request id was seen before,
    else run's result, remembered in the same transaction as its effect."""
    if not request_id:
        return run(), True
    key = f"{command}:{request_id}"
    request_fingerprint = command_results.fingerprint(request)
    earlier = command_results.earlier_result(uow.session, key, request_fingerprint)
    if earlier is not None:
        return earlier, False
    result = run()
    command_results.remember(uow.session, key, request_fingerprint, result)
    return result, True
