"""The gateway: the public HTTP API (API.md), login, and the admin UI.

Entrypoints stay thin: authenticate and check the role, parse JSON, call one service over
RPC (which carries the caller's identity), turn the answer into JSON. The routes live in
`gateway.routes`, one module per area; this class only holds the dependencies they share.
"""
from __future__ import annotations

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from reintegra.messaging.dependencies import Database
from reintegra.messaging.health import HealthCheck
from reintegra.metrics import EntrypointMetrics

from gateway import auth
from gateway.routes.admin_ui import AdminUiRoutes
from gateway.routes.audit import AuditRoutes
from gateway.routes.cases import CaseRoutes
from gateway.routes.operations import OperationsRoutes
from gateway.routes.exchange_rates import ExchangeRateRoutes
from gateway.routes.payees import PayeeRoutes
from gateway.routes.payments import PaymentRoutes
from gateway.routes.payout_holds import PayoutHoldRoutes
from gateway.routes.payouts import PayoutRoutes
from gateway.routes.plans import PlanRoutes
from gateway.routes.programmes import ProgrammeRoutes
from gateway.routes.webhooks import WebhookRoutes


class GatewayService(OperationsRoutes, ProgrammeRoutes, CaseRoutes, PlanRoutes, PaymentRoutes,
                     PayeeRoutes, PayoutRoutes, PayoutHoldRoutes, ExchangeRateRoutes,
                     WebhookRoutes,
                     AuditRoutes, AdminUiRoutes, HealthCheck):
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
