"""Cases: registration, search, duplicates, the return journey (intake; API.md "cases")."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import CASEWORKER, STAFF, SUPERVISOR
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response, query_args

JOURNEY_STAFF = (CASEWORKER, SUPERVISOR)
SEARCH_FILTERS = ("q", "status", "country", "programme", "limit", "cursor")


def request_id(request, body: dict) -> str | None:
    """The `Idempotency-Key` header, or `request_id` in the body: a retried request with
    the same key gets the first answer and changes nothing again."""
    return request.headers.get("Idempotency-Key") or body.pop("request_id", None)


class CaseRoutes:
    @http("POST", "/api/v1/cases")
    @api
    def register_case(self, request):
        self.authn.require(request, (CASEWORKER,))
        body = json_body(request)
        return json_response(self.intake.register_case(body, request_id(request, body)), 201)

    @http("GET", "/api/v1/cases")
    @api
    def search_cases(self, request):
        self.authn.require(request, STAFF)
        return json_response(self.intake.search_cases(
            **query_args(request, SEARCH_FILTERS)))

    @http("GET", "/api/v1/cases/<string:case_id>")
    @api
    def get_case(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response(self.intake.get_case(case_id))

    @http("POST", "/api/v1/cases/<string:case_id>/transitions")
    @api
    def transition_case(self, request, case_id):
        self.authn.require(request, JOURNEY_STAFF)
        body = json_body(request)
        return json_response(self.intake.transition_case(case_id, body, request_id(request, body)))

    @http("POST", "/api/v1/cases/<string:case_id>/duplicates/<string:other_case_id>")
    @api
    def review_duplicate(self, request, case_id, other_case_id):
        self.authn.require(request, JOURNEY_STAFF)
        decision = json_body(request).get("decision")
        return json_response(self.intake.review_duplicate(case_id, other_case_id, decision))

    @http("PUT", "/api/v1/cases/<string:case_id>/assignee")
    @api
    def assign_caseworker(self, request, case_id):
        self.authn.require(request, (SUPERVISOR,))
        caseworker_id = json_body(request).get("caseworker_id")
        return json_response(self.intake.assign_caseworker(case_id, caseworker_id))

    @http("POST", "/api/v1/cases/<string:case_id>/other-vulnerability")
    @api
    def decide_other_vulnerability(self, request, case_id):
        self.authn.require(request, (SUPERVISOR,))
        decision = json_body(request).get("decision")
        return json_response(self.intake.decide_other_vulnerability(case_id, decision))


PATHS = {
    "/api/v1/cases": {
        "post": describe("Register a person: 201 {id, status, possible_duplicates}; accepts "
                         "an Idempotency-Key header", (CASEWORKER,), ok="201", body=True),
        "get": describe("Search cases, newest first; next_cursor continues", STAFF,
                        query=SEARCH_FILTERS)},
    "/api/v1/cases/{case_id}": {
        "get": describe("A case with its history and possible duplicates; sensitive details "
                        "only for the assigned caseworker and supervisors", STAFF,
                        params=("case_id",))},
    "/api/v1/cases/{case_id}/transitions": {
        "post": describe("Move a case: {to, reason?, data?}; illegal move 409 with the allowed "
                         "targets; accepts an Idempotency-Key header", JOURNEY_STAFF, body=True,
                         params=("case_id",))},
    "/api/v1/cases/{case_id}/duplicates/{other_case_id}": {
        "post": describe("Review a possible duplicate: {decision: same_person | different}",
                         JOURNEY_STAFF, body=True, params=("case_id", "other_case_id"))},
    "/api/v1/cases/{case_id}/assignee": {
        "put": describe("Assign the case to a caseworker: {caseworker_id}", (SUPERVISOR,),
                        body=True, params=("case_id",))},
    "/api/v1/cases/{case_id}/other-vulnerability": {
        "post": describe("Decide on an 'other' vulnerability factor: {decision: approve | "
                         "decline}", (SUPERVISOR,), body=True, params=("case_id",))},
}
