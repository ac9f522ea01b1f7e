"""The gateway: the public HTTP API (API.md), login, and the admin UI.

Entrypoints stay thin: authenticate and check the role, parse JSON, call one service over
RPC (which carries the caller's identity), turn the answer into JSON.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from reintegra.messaging.dependencies import Database
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from gateway import auth, health
from gateway.access import ROUTE_ROLES
from gateway.openapi import openapi_document
from gateway.responses import api, json_body, json_response

UI_DIR = Path(__file__).parent / "ui"


class GatewayService(HealthCheck):
    name = "gateway"

    config = Config()
    db = Database()
    metrics = EntrypointMetrics()
    authn = auth.Authentication()
    intake = RpcProxy("intake")
    plans = RpcProxy("plans")
    payments = RpcProxy("payments")
    monitoring = RpcProxy("monitoring")
    notifications = RpcProxy("notifications")

    # --- operations -------------------------------------------------------------------
    @http("GET", "/healthz")
    @api
    def healthz(self, request):
        proxies = {name: getattr(self, name) for name in health.SERVICES}
        status, report = health.check_all(proxies, self.health())
        return json_response(report, status)

    @http("GET", "/api/v1/openapi.json")
    def openapi(self, request):
        return json_response(openapi_document())

    # --- auth -------------------------------------------------------------------------
    @http("POST", "/api/v1/auth/login")
    @api
    def login(self, request):
        body = json_body(request)
        ttl = timedelta(minutes=int(self.config.get("TOKEN_TTL_MINUTES", 480)))
        with self.db.unit_of_work() as uow:
            answer = auth.login(uow.session, str(body.get("username", "")),
                                str(body.get("password", "")), ttl)
            uow.commit()
        return json_response(answer)

    # --- programmes -------------------------------------------------------------------
    @http("POST", "/api/v1/programmes")
    @api
    def create_programme(self, request):
        self.authn.require(request, ROUTE_ROLES["create_programme"])
        return json_response(self.intake.create_programme(json_body(request)), 201)

    @http("GET", "/api/v1/programmes")
    @api
    def list_programmes(self, request):
        self.authn.require(request, ROUTE_ROLES["list_programmes"])
        return json_response({"items": self.intake.list_programmes()})

    @http("GET", "/api/v1/programmes/<string:programme_id>")
    @api
    def get_programme(self, request, programme_id):
        self.authn.require(request, ROUTE_ROLES["get_programme"])
        return json_response(self.intake.get_programme(programme_id))

    # --- cases ------------------------------------------------------------------------
    @http("POST", "/api/v1/cases")
    @api
    def register_case(self, request):
        self.authn.require(request, ROUTE_ROLES["register_case"])
        return json_response(self.intake.register_case(json_body(request)), 201)

    @http("GET", "/api/v1/cases/<string:case_id>")
    @api
    def get_case(self, request, case_id):
        self.authn.require(request, ROUTE_ROLES["get_case"])
        return json_response(self.intake.get_case(case_id))

    # --- admin UI ---------------------------------------------------------------------
    @http("GET", "/")
    def ui_index(self, request):
        return Response((UI_DIR / "index.html").read_bytes(), mimetype="text/html")

    @http("GET", "/ui/<string:asset>")
    def ui_asset(self, request, asset):
        path = UI_DIR / asset
        if asset not in {"app.js", "style.css"} or not path.exists():
            return Response("not found", status=404)
        mimetype = "text/javascript" if asset.endswith(".js") else "text/css"
        return Response(path.read_bytes(), mimetype=mimetype)
