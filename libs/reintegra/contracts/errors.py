"""Errors that cross service boundaries, with the HTTP meaning the gateway gives them.

They are registered with nameko so that an RPC caller gets the same exception back, with its
structured `fields` intact, instead of an opaque RemoteError. The gateway maps them to HTTP
status codes in one table (`status`).
"""
from __future__ import annotations

import json

from nameko.exceptions import deserialize_to_instance


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict | None = None, details: dict | str | None = None):
        self.message = message
        self.fields = fields or {}
        # nameko stringifies every non-string it finds in an exception's args, which would
        # turn money's integer amounts into strings on the way to the gateway; the details
        # therefore travel as one JSON string and are parsed back on arrival.
        self.details = json.loads(details) if isinstance(details, str) else (details or {})
        super().__init__(message, self.fields, json.dumps(self.details))

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "fields": self.fields}
        body.update(self.details)
        return {"error": body}


@deserialize_to_instance
class InvalidInput(ApiError):
    """Malformed or incomplete input: names each field and the reason."""
    status, code = 400, "invalid_input"


@deserialize_to_instance
class RuleViolation(ApiError):
    """Well-formed input that breaks a business rule (e.g. plan over the cap)."""
    status, code = 422, "rule_violation"


@deserialize_to_instance
class Conflict(ApiError):
    """Conflicts with the current state: illegal transition, budget exhausted, double release."""
    status, code = 409, "conflict"


@deserialize_to_instance
class NotFound(ApiError):
    status, code = 404, "not_found"


@deserialize_to_instance
class Forbidden(ApiError):
    """The caller's role or identity may not do this (e.g. approving one's own plan)."""
    status, code = 403, "forbidden"


def field_reasons(cerberus_errors: dict, prefix: str = "") -> dict:
    """Cerberus nests the errors of nested fields; the API promises {"field.path": ["reason"]}."""
    flat: dict = {}
    for field, reasons in cerberus_errors.items():
        path = f"{prefix}{field}"
        for reason in reasons:
            if isinstance(reason, dict):
                flat.update(field_reasons(reason, f"{path}."))
            else:
                flat.setdefault(path, []).append(reason)
    return flat
