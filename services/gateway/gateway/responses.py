"""JSON in, JSON out, and the one table that turns errors into HTTP answers (API.md)."""
from __future__ import annotations

import functools
import json
import logging

import eventlet
from nameko.exceptions import RemoteError, UnknownService
from werkzeug.wrappers import Response

from reintegra.contracts.errors import ApiError, InvalidInput

log = logging.getLogger(__name__)

# Errors that are not ApiErrors: what the caller is told, and with which status.
_INFRASTRUCTURE_ERRORS = (
    (eventlet.Timeout, 504, "timeout", "a service did not answer in time"),
    (UnknownService, 503, "service_unavailable", "a service is not running"),
    (RemoteError, 502, "service_error", "a service failed; the error was logged"),
)


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, default=str), status=status, headers=headers,
                    mimetype="application/json")


def error_response(exc: Exception) -> Response:
    if isinstance(exc, ApiError):
        return json_response(exc.to_dict(), exc.status)
    for kind, status, code, message in _INFRASTRUCTURE_ERRORS:
        if isinstance(exc, kind):
            log.error("request failed", extra={"error": type(exc).__name__, "detail": str(exc)[:300]})
            return json_response({"error": {"code": code, "message": message, "fields": {}}}, status)
    raise exc


def json_body(request) -> dict:
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError as exc:
        raise InvalidInput("the body is not valid JSON", fields={"body": [str(exc)]})
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object", fields={"body": ["must be an object"]})
    return body


def optional_json_body(request) -> dict:
    """An empty body means {}; any other must be a JSON object."""
    return json_body(request) if request.get_data() else {}


def query_args(request, names) -> dict:
    """The named query parameters (None where absent), for a service to check."""
    return {name: request.args.get(name) for name in names}


def api(handler):
    """Wraps an http entrypoint: errors become the API's error bodies, never a bare 500."""
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except eventlet.Timeout as exc:
            return error_response(exc)
        except Exception as exc:
            return error_response(exc)
    return wrapper
