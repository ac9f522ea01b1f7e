"""Payouts held for review before paying (the payee's name did not match the provider's)."""
from __future__ import annotations

from nameko.web.handlers import http

from gateway.access import FINANCE, SUPERVISOR
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response


class PayoutHoldRoutes:
    @http("GET", "/api/v1/payout-holds")
    @api
    def list_payout_holds(self, request):
        self.authn.require(request, (FINANCE, SUPERVISOR))
        return json_response(self.payments.list_payout_holds())

    @http("POST", "/api/v1/payout-holds/<string:hold_id>/release")
    @api
    def release_payout_hold(self, request, hold_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.payments.release_payout_hold(hold_id, json_body(request)))

    @http("POST", "/api/v1/payout-holds/<string:hold_id>/reject")
    @api
    def reject_payout_hold(self, request, hold_id):
        self.authn.require(request, (SUPERVISOR,))
        return json_response(self.payments.reject_payout_hold(hold_id, json_body(request)))


PATHS = {
    "/api/v1/payout-holds": {"get": describe(
        "Payouts held because the provider's account holder is not the payee: both names, "
        "the payout and its case", (FINANCE, SUPERVISOR))},
    "/api/v1/payout-holds/{hold_id}/release": {"post": describe(
        "Pay a held payout as it is ({reason}); a supervisor other than its batch's preparer",
        (SUPERVISOR,), body=True, params=("hold_id",))},
    "/api/v1/payout-holds/{hold_id}/reject": {"post": describe(
        "Do not pay a held payout ({reason}): it fails with account_holder_mismatch and the "
        "instalment is due again", (SUPERVISOR,), body=True, params=("hold_id",))},
}
