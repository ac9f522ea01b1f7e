"""Cases: registration, search, the return journey (intake; API.md "cases")."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import CASEWORKER, STAFF
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response


class CaseRoutes:
    @http("POST", "/api/v1/cases")
    @api
    def register_case(self, request):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.intake.register_case(json_body(request)), 201)

    @http("GET", "/api/v1/cases/<string:case_id>")
    @api
    def get_case(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response(self.intake.get_case(case_id))


PATHS = {
    "/api/v1/cases": {"post": describe("Register a person", (CASEWORKER,), ok="201", body=True)},
    "/api/v1/cases/{case_id}": {"get": describe("A case", STAFF, params=("case_id",))},
}
