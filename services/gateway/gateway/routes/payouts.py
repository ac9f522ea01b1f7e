"""Single payouts: the finance worklist of failed payouts, one payout, and the decisions on a
failed one — re-route it or return its money (payments' payout_decisions)."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import FINANCE
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response, query_args

LIST_FILTERS = ("status", "programme", "limit", "cursor")


class PayoutRoutes:
    @http("GET", "/api/v1/payouts")
    @api
    def list_payouts(self, request):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.list_payouts(
            **query_args(request, LIST_FILTERS)))

    @http("GET", "/api/v1/payouts/<string:payout_id>")
    @api
    def get_payout(self, request, payout_id):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.get_payout(payout_id))

    @http("POST", "/api/v1/payouts/<string:payout_id>/reroute")
    @api
    def reroute_payout(self, request, payout_id):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.reroute_payout(
            payout_id, json_body(request), request.headers.get("Idempotency-Key")))

    @http("POST", "/api/v1/payouts/<string:payout_id>/return")
    @api
    def return_payout(self, request, payout_id):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.return_payout(
            payout_id, json_body(request), request.headers.get("Idempotency-Key")))


PATHS: dict = {
    "/api/v1/payouts": {"get": describe(
        "Payouts in one status, newest first (status=failed, the default: the failed payouts "
        "awaiting a decision)", (FINANCE,), query=LIST_FILTERS)},
    "/api/v1/payouts/{payout_id}": {"get": describe(
        "One payout: status, failure, the decision taken on it and what superseded it",
        (FINANCE,), params=("payout_id",))},
    "/api/v1/payouts/{payout_id}/reroute": {"post": describe(
        "Re-route a failed payout {route, reason}: a replacement joins the next batch; "
        "accepts Idempotency-Key; 409 unless failed and not re-paid by a later batch",
        (FINANCE,), body=True, params=("payout_id",))},
    "/api/v1/payouts/{payout_id}/return": {"post": describe(
        "Return a failed payout's money to the reservation {reason, release_budget?}: with "
        "release_budget it goes back to available and the instalment is closed; accepts "
        "Idempotency-Key", (FINANCE,), body=True, params=("payout_id",))},
}
