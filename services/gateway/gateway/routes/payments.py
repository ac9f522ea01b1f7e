"""Budget, instalments, payout batches and payout methods (payments; API.md)."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import ADMIN, CASEWORKER, FINANCE, STAFF
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response, optional_json_body, query_args
from gateway.routes.payouts import LIST_FILTERS


class PaymentRoutes:
    @http("GET", "/api/v1/programmes/<string:programme_id>/budget")
    @api
    def get_budget(self, request, programme_id):
        self.authn.require(request, (FINANCE, ADMIN))
        return json_response(self.payments.get_budget_report(programme_id))

    @http("PUT", "/api/v1/cases/<string:case_id>/payout-method")
    @api
    def set_payout_method(self, request, case_id):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.payments.set_payout_method(case_id, json_body(request)))

    @http("GET", "/api/v1/cases/<string:case_id>/instalments")
    @api
    def list_instalments(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response(self.payments.case_instalments(case_id))

    @http("POST", "/api/v1/payout-batches")
    @api
    def prepare_payout_batch(self, request):
        self.authn.require(request, (FINANCE,))
        answer = self.payments.prepare_payout_batch(optional_json_body(request),
                                                    request.headers.get("Idempotency-Key"))
        return json_response(answer, 201)

    @http("GET", "/api/v1/payout-batches")
    @api
    def list_payout_batches(self, request):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.list_payout_batches(
            **query_args(request, LIST_FILTERS)))

    @http("POST", "/api/v1/payout-batches/<string:batch_id>/release")
    @api
    def release_payout_batch(self, request, batch_id):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.release_payout_batch(batch_id), 202)

    @http("GET", "/api/v1/payout-batches/<string:batch_id>")
    @api
    def get_payout_batch(self, request, batch_id):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.get_payout_batch(batch_id))


PATHS = {
    "/api/v1/programmes/{programme_id}/budget": {"get": describe(
        "Budget: total, reserved, paid, returned, available, overall and per funding source; "
        "reserved, paid, returned by return country and by payout route",
        (FINANCE, ADMIN), params=("programme_id",))},
    "/api/v1/cases/{case_id}/payout-method": {"put": describe(
        "Set how the beneficiary is paid: {route, details}, checked per route (400 naming each "
        "field) and against the routes offered in the return country (422)", (CASEWORKER,), body=True,
        params=("case_id",))},
    "/api/v1/cases/{case_id}/instalments": {"get": describe(
        "The instalments of a case with their payouts", STAFF, params=("case_id",))},
    "/api/v1/payout-batches": {"post": describe(
        "Prepare a batch of due instalments ({programme_id?}); accepts Idempotency-Key",
        (FINANCE,), ok="201", body=True), "get": describe(
        "Batches newest first (status=prepared: those waiting for a second officer to release "
        "them; released; completed), of one programme if asked", (FINANCE,), query=LIST_FILTERS)},
    "/api/v1/payout-batches/{batch_id}/release": {"post": describe(
        "Release a batch (another finance officer than the one who prepared it)",
        (FINANCE,), ok="202", params=("batch_id",))},
    "/api/v1/payout-batches/{batch_id}": {"get": describe(
        "A batch: progress and each payout's status", (FINANCE,), params=("batch_id",))},
}
