"""The OpenAPI 3 description of the public API, served at /api/v1/openapi.json.

A test compares it with the gateway's routes, so it cannot silently drift.
"""
from __future__ import annotations

_ERROR = {"$ref": "#/components/schemas/Error"}


def _op(summary: str, roles: tuple, ok: str = "200", body: bool = False, params: tuple = ()):
    op = {"summary": summary, "description": f"Roles: {', '.join(roles) or 'anyone'}.",
          "responses": {ok: {"description": "success"},
                        "400": {"description": "malformed", "content": {"application/json": {"schema": _ERROR}}},
                        "401": {"description": "not logged in"}, "403": {"description": "wrong role"}}}
    if roles:
        op["security"] = [{"bearer": []}]
    else:
        op["responses"].pop("401"), op["responses"].pop("403")
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
    if params:
        op["parameters"] = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                            for p in params]
    return op


PATHS = {
    "/healthz": {"get": _op("Health of every service (200 only when all are up)", ())},
    "/api/v1/openapi.json": {"get": _op("This document", ())},
    "/api/v1/auth/login": {"post": _op("Log in: {username, password} -> {token, role, expires_at}", (), body=True)},
    "/api/v1/programmes": {
        "post": _op("Create a programme", ("admin",), ok="201", body=True),
        "get": _op("List programmes", ("staff",))},
    "/api/v1/programmes/{programme_id}": {"get": _op("A programme", ("staff",), params=("programme_id",))},
    "/api/v1/cases": {"post": _op("Register a person", ("caseworker",), ok="201", body=True)},
    "/api/v1/cases/{case_id}": {"get": _op("A case", ("staff",), params=("case_id",))},
}


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Reintegra API", "version": "1.0.0",
                 "description": "Assisted Voluntary Return and Reintegration: cases, plans, payouts."},
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Money": {"type": "object", "required": ["amount", "currency"], "properties": {
                    "amount": {"type": "integer", "description": "minor units"},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}},
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {
                        "type": "array", "items": {"type": "string"}}}}}}},
            },
        },
    }
