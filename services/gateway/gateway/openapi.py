"""The OpenAPI 3 description of the public API, served at /api/v1/openapi.json.

Each module of `gateway.routes` describes its own paths with `describe`; this module merges
them. A test compares the result with the gateway's routes, so it cannot silently drift.
"""
from __future__ import annotations

_ERROR = {"$ref": "#/components/schemas/Error"}


def describe(summary: str, roles: tuple, ok: str = "200", body: bool = False, params: tuple = (),
             query: tuple = ()) -> dict:
    """One operation: who may call it, what it answers, its path and query parameters."""
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
    op.setdefault("parameters", []).extend(
        {"name": q, "in": "query", "required": False, "schema": {"type": "string"}} for q in query)
    if not op["parameters"]:
        del op["parameters"]
    return op


def paths() -> dict:
    # Imported here: the route modules import `describe` from this module.
    from gateway.routes import (audit, cases, exchange_rates, operations, payees, payments,
                                payout_holds, payouts, plans, programmes, webhooks)
    merged: dict = {}
    for module in (operations, programmes, cases, plans, payments, payees, payouts,
                   payout_holds, exchange_rates, webhooks, audit):
        for path, item in module.PATHS.items():
            merged.setdefault(path, {}).update(item)
    return merged


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Reintegra API", "version": "1.0.0",
                 "description": "Assisted Voluntary Return and Reintegration: cases, plans, payouts."},
        "servers": [{"url": "/"}],
        "paths": paths(),
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
