"""Cerberus errors as {"field.path": ["reason", ...]}, worded for the people who fix them."""
from __future__ import annotations

from cerberus import errors as cerberus_errors
from cerberus.errors import BaseErrorHandler, ValidationError

_COERCION_FAILED = cerberus_errors.COERCION_FAILED.code
_BAD_TYPE = cerberus_errors.BAD_TYPE.code
_TYPE_PHRASES = {
    "string": "text", "list": "a list", "dict": "an object", "boolean": "true or false",
    "date": "a date written YYYY-MM-DD", "integer": "a whole number",
}


class FieldErrors(BaseErrorHandler):
    """Flattens cerberus' nested errors to one list of reasons per dotted field path
    (list items by index: "household_members.0.date_of_birth")."""

    def __call__(self, errors) -> dict[str, list[str]]:
        flat = list(_leaves(errors))
        # A value that could not be coerced also fails its type check; the coercion
        # message is the one that says what to fix.
        coerced = {e.document_path for e in flat if e.code == _COERCION_FAILED}
        result: dict[str, list[str]] = {}
        for error in flat:
            if error.document_path in coerced and error.code == _BAD_TYPE:
                continue
            reasons = result.setdefault(field_path(error.document_path), [])
            reason = describe(error)
            if reason not in reasons:
                reasons.append(reason)
        return result


def field_path(document_path: tuple) -> str:
    return ".".join(str(part) for part in document_path)


def describe(error: ValidationError) -> str:
    code = error.code
    if code in (cerberus_errors.CUSTOM.code, _COERCION_FAILED):
        return str(error.info[0])
    if code == _BAD_TYPE:
        types = [error.constraint] if isinstance(error.constraint, str) else error.constraint
        return "must be " + " or ".join(_TYPE_PHRASES.get(t, t) for t in types)
    if code in (cerberus_errors.MIN_LENGTH.code, cerberus_errors.MAX_LENGTH.code):
        return _length(error)
    if code == cerberus_errors.UNALLOWED_VALUE.code:
        allowed = ", ".join(map(str, error.constraint))
        return f"{error.value!r} is not allowed; must be one of: {allowed}"
    return _FIXED.get(code, f"is invalid ({error.rule})")


def _length(error: ValidationError) -> str:
    bound = "at least" if error.code == cerberus_errors.MIN_LENGTH.code else "at most"
    if isinstance(error.value, (list, tuple)):
        unit = "item" if error.constraint == 1 else "items"
        return f"must contain {bound} {error.constraint} {unit}"
    unit = "character" if error.constraint == 1 else "characters"
    return f"must be {bound} {error.constraint} {unit} long"


_FIXED = {
    cerberus_errors.REQUIRED_FIELD.code: "is required",
    cerberus_errors.UNKNOWN_FIELD.code: "is not a recognised field",
    cerberus_errors.EMPTY_NOT_ALLOWED.code: "must not be empty",
    cerberus_errors.NOT_NULLABLE.code: "must not be null",
    cerberus_errors.BAD_TYPE_FOR_SCHEMA.code: "must be an object",
}


def _leaves(errors):
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error
