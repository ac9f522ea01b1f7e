"""Reintegration applications and plans (plans service; API.md "plans")."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import ADMIN, CASEWORKER, STAFF, SUPERVISOR
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response, optional_json_body


class PlanRoutes:
    @http("POST", "/api/v1/cases/<string:case_id>/application")
    @api
    def submit_application(self, request, case_id):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.plans.submit_application(case_id, json_body(request)), 201)

    @http("GET", "/api/v1/cases/<string:case_id>/application")
    @api
    def get_application(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response(self.plans.get_application(case_id))

    @http("GET", "/api/v1/programmes/<string:programme_id>/applications")
    @api
    def rank_applications(self, request, programme_id):
        self.authn.require(request, STAFF)
        return json_response(self.plans.rank_applications(programme_id))

    @http("GET", "/api/v1/programmes/<string:programme_id>/scoring-weights")
    @api
    def get_scoring_weights(self, request, programme_id):
        self.authn.require(request, STAFF)
        return json_response(self.plans.get_scoring_weights(programme_id))

    @http("PUT", "/api/v1/programmes/<string:programme_id>/scoring-weights")
    @api
    def set_scoring_weights(self, request, programme_id):
        self.authn.require(request, (ADMIN,))
        return json_response(self.plans.set_scoring_weights(programme_id, json_body(request)),
                             201)

    @http("POST", "/api/v1/cases/<string:case_id>/plans")
    @api
    def draft_plan(self, request, case_id):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.plans.draft_plan(case_id, json_body(request)), 201)

    @http("GET", "/api/v1/cases/<string:case_id>/plans")
    @api
    def plans_of_case(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response({"items": self.plans.plans_of_case(case_id)})

    @http("GET", "/api/v1/plans/<string:plan_id>")
    @api
    def get_plan(self, request, plan_id):
        self.authn.require(request, STAFF)
        return json_response(self.plans.get_plan(plan_id))

    @http("POST", "/api/v1/plans/<string:plan_id>/submit")
    @api
    def submit_plan(self, request, plan_id):
        self.authn.require(request, (CASEWORKER, SUPERVISOR))
        return json_response(self.plans.submit_plan(plan_id, optional_json_body(request)))

    @http("POST", "/api/v1/plans/<string:plan_id>/approve")
    @api
    def approve_plan(self, request, plan_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.plans.approve_plan(plan_id, optional_json_body(request)))

    @http("POST", "/api/v1/plans/<string:plan_id>/reject")
    @api
    def reject_plan(self, request, plan_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.plans.reject_plan(plan_id, json_body(request)))

    @http("POST", "/api/v1/plans/<string:plan_id>/revisions")
    @api
    def revise_plan(self, request, plan_id):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.plans.revise_plan(plan_id, json_body(request)), 201)


_CASE, _PLAN, _PROGRAMME = ("case_id",), ("plan_id",), ("programme_id",)

PATHS = {
    "/api/v1/cases/{case_id}/application": {
        "post": describe("Record the reintegration application and its criteria scores "
                         "(case return_approved)", (CASEWORKER,), ok="201", body=True,
                         params=_CASE),
        "get": describe("The case's application, its weighted score and weights version",
                        STAFF, params=_CASE)},
    "/api/v1/programmes/{programme_id}/applications": {
        "get": describe("Evaluated applications ranked by score (ties: vulnerability, then "
                        "application date), with the budget each needs and whether what "
                        "is left covers it", STAFF, params=_PROGRAMME)},
    "/api/v1/programmes/{programme_id}/scoring-weights": {
        "get": describe("The programme's current criteria weights and their version", STAFF,
                        params=_PROGRAMME),
        "put": describe("Set new criteria weights (a new version; whole percentages "
                        "summing to 100)", (ADMIN,), ok="201", body=True, params=_PROGRAMME)},
    "/api/v1/cases/{case_id}/plans": {
        "post": describe("Draft a reintegration plan: lines {category, description, amount, "
                         "supplier?, justification?}; over the cap → 422", (CASEWORKER,),
                         ok="201", body=True, params=_CASE),
        "get": describe("The case's plans", STAFF, params=_CASE)},
    "/api/v1/plans/{plan_id}": {
        "get": describe("A plan with all its versions and their history", STAFF,
                        params=_PLAN)},
    "/api/v1/plans/{plan_id}/submit": {
        "post": describe("Submit a version for approval ({version?})",
                         (CASEWORKER, SUPERVISOR), body=True, params=_PLAN)},
    "/api/v1/plans/{plan_id}/approve": {
        "post": describe("Approve a version ({version?}): reserves its total in the "
                         "programme budget; 403 for its drafter or submitter, 409 with the "
                         "available amount when the budget cannot cover it", (SUPERVISOR,),
                         body=True, params=_PLAN)},
    "/api/v1/plans/{plan_id}/reject": {
        "post": describe("Reject a version ({reason, version?})", (SUPERVISOR,), body=True,
                         params=_PLAN)},
    "/api/v1/plans/{plan_id}/revisions": {
        "post": describe("A new version after arrival ({lines, reason})", (CASEWORKER,),
                         ok="201", body=True, params=_PLAN)},
}
