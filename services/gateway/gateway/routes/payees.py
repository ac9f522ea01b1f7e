"""Payees of a case (suppliers, trusted third parties) and third-party authorisations (payments)."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import CASEWORKER, STAFF, SUPERVISOR
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response


class PayeeRoutes:
    @http("POST", "/api/v1/cases/<string:case_id>/payees")
    @api
    def record_payee(self, request, case_id):
        self.authn.require(request, (CASEWORKER,))
        return json_response(self.payments.record_payee(case_id, json_body(request)), 201)

    @http("GET", "/api/v1/cases/<string:case_id>/payees")
    @api
    def case_payees(self, request, case_id):
        self.authn.require(request, STAFF)
        return json_response(self.payments.case_payees(case_id))

    @http("POST", "/api/v1/payees/<string:payee_id>/authorisation/approve")
    @api
    def approve_payee_authorisation(self, request, payee_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.payments.approve_payee_authorisation(payee_id))

    @http("POST", "/api/v1/payees/<string:payee_id>/authorisation/revoke")
    @api
    def revoke_payee_authorisation(self, request, payee_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.payments.revoke_payee_authorisation(payee_id, json_body(request)))


PATHS = {
    "/api/v1/cases/{case_id}/payees": {
        "post": describe(
            "Record a supplier {kind: supplier, name, plan_line_id, document {kind, reference, amount}, "
            "route, details} or a trusted third party {kind: third_party, name, relationship, "
            "authorisation {signed_on, document_reference}, route, details}",
            (CASEWORKER,), ok="201", body=True, params=("case_id",)),
        "get": describe("The case's payees: the beneficiary (its payout method), suppliers, third parties",
                        STAFF, params=("case_id",)),
    },
    "/api/v1/payees/{payee_id}/authorisation/approve": {"post": describe(
        "Approve a third party's authorisation (a supervisor other than who recorded it)",
        (SUPERVISOR,), params=("payee_id",))},
    "/api/v1/payees/{payee_id}/authorisation/revoke": {"post": describe(
        "Revoke a third party's authorisation {reason}: no further payout to it", (SUPERVISOR,),
        body=True, params=("payee_id",))},
}
