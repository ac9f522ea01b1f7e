"""Programmes (owned by intake; API.md "POST /api/v1/programmes")."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import ADMIN, STAFF
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response


class ProgrammeRoutes:
    @http("POST", "/api/v1/programmes")
    @api
    def create_programme(self, request):
        self.authn.require(request, (ADMIN,))
        return json_response(self.intake.create_programme(json_body(request)), 201)

    @http("GET", "/api/v1/programmes")
    @api
    def list_programmes(self, request):
        self.authn.require(request, STAFF)
        return json_response({"items": self.intake.list_programmes()})

    @http("GET", "/api/v1/programmes/<string:programme_id>")
    @api
    def get_programme(self, request, programme_id):
        self.authn.require(request, STAFF)
        return json_response(self.intake.get_programme(programme_id))


PATHS = {
    "/api/v1/programmes": {
        "post": describe("Create a programme", (ADMIN,), ok="201", body=True),
        "get": describe("List programmes", STAFF)},
    "/api/v1/programmes/{programme_id}": {
        "get": describe("A programme", STAFF, params=("programme_id",))},
}
