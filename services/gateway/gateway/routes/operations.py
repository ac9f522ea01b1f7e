"""Health, the OpenAPI document and login: the routes everyone may call."""
from __future__ import annotations

from datetime import timedelta

from nameko.web.handlers import http

from gateway import auth, health
from gateway.openapi import describe, openapi_document
from gateway.responses import api, json_body, json_response


class OperationsRoutes:
    @http("GET", "/healthz")
    @api
    def healthz(self, request):
        proxies = {name: getattr(self, name) for name in health.SERVICES}
        status, report = health.check_all(proxies, self.health())
        return json_response(report, status)

    @http("GET", "/api/v1/openapi.json")
    def openapi(self, request):
        return json_response(openapi_document())

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


PATHS = {
    "/healthz": {"get": describe("Health of every service (200 only when all are up)", ())},
    "/api/v1/openapi.json": {"get": describe("This document", ())},
    "/api/v1/auth/login": {"post": describe(
        "Log in: {username, password} -> {token, role, expires_at}", (), body=True)},
}
