"""The audit trail, read-only, for auditors (API.md "GET /api/v1/audit")."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import AUDITOR
from gateway.openapi import describe
from gateway.responses import api, json_response


class AuditRoutes:
    @http("GET", "/api/v1/audit")
    @api
    def audit_trail(self, request):
        self.authn.require(request, (AUDITOR,))
        return json_response(self.intake.audit_trail(
            request.args.get("entity"), request.args.get("limit"), request.args.get("cursor")))


PATHS = {
    "/api/v1/audit": {
        "get": describe("The audit log, newest first, optionally for one entity",
                        (AUDITOR,), query=("entity", "limit", "cursor"))},
}
