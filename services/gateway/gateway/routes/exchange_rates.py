"""Exchange rates: ECB file import and manual entry (payments; docs/payout-routes.md)."""
from __future__ import annotations

from nameko.web.handlers import http

from reintegra.contracts.errors import InvalidInput

from gateway.access import ADMIN, FINANCE
from gateway.openapi import describe
from gateway.responses import api, json_body, json_response


class ExchangeRateRoutes:
    @http("POST", "/api/v1/exchange-rates/ecb")
    @api
    def import_ecb_rates(self, request):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.import_ecb_rates(_ecb_file(request)))

    @http("POST", "/api/v1/exchange-rates")
    @api
    def enter_exchange_rate(self, request):
        self.authn.require(request, (FINANCE,))
        return json_response(self.payments.enter_exchange_rate(json_body(request)), 201)

    @http("GET", "/api/v1/exchange-rates")
    @api
    def list_exchange_rates(self, request):
        self.authn.require(request, (FINANCE, ADMIN))
        return json_response(self.payments.list_exchange_rates(
            request.args.get("currency"), request.args.get("date")))


def _ecb_file(request) -> str:
    """The ECB's CSV as sent (text/csv), or wrapped in JSON as {"csv": "..."}."""
    if (request.mimetype or "").endswith("json"):
        text = json_body(request).get("csv")
    else:
        text = request.get_data(as_text=True)
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("send the ECB reference rates file (text/csv, or JSON {csv})",
                           fields={"csv": ["required"]})
    return text


PATHS = {
    "/api/v1/exchange-rates/ecb": {"post": describe(
        "Import the ECB's euro reference rates file (eurofxref.csv or eurofxref-hist.csv) "
        "as text/csv or JSON {csv}; answers the rates imported per day; a re-import changes "
        "nothing", (FINANCE,), body=True)},
    "/api/v1/exchange-rates": {
        "post": describe("Enter a rate: {currency, rate (decimal string, per EUR), date, note?}",
                         (FINANCE,), ok="201", body=True),
        "get": describe("Known rates, newest first, with date and source", (FINANCE, ADMIN),
                        query=("currency", "date"))},
}
