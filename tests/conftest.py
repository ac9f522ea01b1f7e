"""The whole system, started once for the end-to-end tests: six `nameko run` processes on a
vhost of their own, fresh SQLite databases, the gateway on its own port, and the sandbox
payout partner (its own process) that payments pays through, and the Stripe fake
(fakes/stripe_server) that the bank and card routes pay through, whose webhooks go to the
gateway."""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from reintegra.contracts import new_envelope
from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store
from sandbox_partner.process import SandboxPartnerProcess
from stripe_server.testing import running_server

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = {
    "intake": "intake.service:IntakeService",
    "plans": "plans.entrypoints.service:PlansService",
    "payments": "payments.entrypoints.service:PaymentsService",
    "monitoring": "monitoring.entrypoints.service:MonitoringService",
    "notifications": "notifications.entrypoints.service:NotificationsService",
    "gateway": "gateway.service:GatewayService",
}
PASSWORD = "correct horse battery staple"
# Second members of a role, for the four-eyes and maker-checker rules.
SECOND_USERS = {"caseworker-2": "caseworker", "finance-officer-2": "finance_officer"}
ROLES = ("caseworker", "supervisor", "finance_officer", "operations", "admin", "auditor")
STRIPE_WEBHOOK_SECRET = "whsec_reintegra_e2e"


class Api:
    def __init__(self, base: str):
        self.base = base

    def call(self, method: str, path: str, body=None, token: str | None = None, raw: bytes | None = None,
             headers: dict | None = None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def login(self, username: str) -> str:
        """A token for a user; each role's user is named after the role (see SECOND_USERS)."""
        status, answer = self.call("POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD})
        assert status == 200, answer
        return answer["token"]


def _management(method: str, path: str, body: dict | None = None) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:15673/api{path}", method=method,
                                     data=json.dumps(body or {}).encode() if method == "PUT" else None,
                                     headers={"content-type": "application/json",
                                              "Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()})
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def system(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("system")
    vhost = f"e2e_{uuid.uuid4().hex[:8]}"
    gateway_port = _free_port()
    _management("PUT", f"/vhosts/{vhost}")
    _management("PUT", f"/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    partner = SandboxPartnerProcess(workdir / "partner", settle_delay_ms=50,
                                    extra_args=("--callback-backoff-ms", "20")).start()
    # Stripe settles payouts and top-ups by itself a moment after they are made, and signs
    # every event to the gateway's webhook endpoint, as the real one would.
    stripe_processes = ExitStack()
    stripe = stripe_processes.enter_context(running_server(
        "--settle-after", "0.3", webhook_url=f"http://127.0.0.1:{gateway_port}/api/v1/webhooks/stripe",
        webhook_secret=STRIPE_WEBHOOK_SECRET))
    env = {**os.environ, "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5673/{vhost}",
           "GATEWAY_ADDRESS": f"127.0.0.1:{gateway_port}", "RETRY_FIRST_DELAY_MS": "100",
           "SANDBOX_PARTNER_URL": partner.url, "SANDBOX_PARTNER_TOKEN": partner.token,
           "PAYOUT_LEASE_SECONDS": "2", "PAYOUT_POLL_INTERVAL_SECONDS": "0.1",
           "PAYOUT_FIRST_BACKOFF_SECONDS": "0.2",
           "STRIPE_API_BASE": stripe.url, "STRIPE_API_KEY": "sk_test_reintegra_e2e",
           "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
           # A throw-away key per run: sensitive case data is encrypted with it at rest.
           "INTAKE_SENSITIVE_DATA_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode()}
    for name in ENTRIES:
        url = f"sqlite:///{workdir / name}.sqlite"
        upgrade(name, url)
        env[f"{name.upper()}_DATABASE_URL"] = url
        env[f"{name.upper()}_METRICS_PORT"] = "0"
    _create_users(env["GATEWAY_DATABASE_URL"])
    processes = [subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(ROOT / "services" / name / "config.yml"), entry],
        env=env, cwd=workdir, stdout=(workdir / f"{name}.log").open("ab"), stderr=subprocess.STDOUT)
        for name, entry in ENTRIES.items()]
    api = Api(f"http://127.0.0.1:{gateway_port}")
    try:
        _wait_healthy(api, workdir)
        yield {"api": api, "amqp_uri": env["AMQP_URI"], "workdir": workdir, "partner": partner,
               "stripe": stripe}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        partner.stop()
        stripe_processes.close()
        _management("DELETE", f"/vhosts/{vhost}")


def _free_port() -> int:
    # Several end-to-end runs may share this machine: each takes a port of its own.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _create_users(url: str) -> None:
    from gateway import auth
    store = Store(url, source="gateway")
    with store.unit_of_work() as uow:
        for role in ROLES:
            auth.create_user(uow.session, role, PASSWORD, role)
        for username, role in SECOND_USERS.items():
            auth.create_user(uow.session, username, PASSWORD, role)
        uow.commit()
    store.dispose()


def _wait_healthy(api: Api, workdir: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = api.call("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    logs = "\n".join(p.read_text()[-2000:] for p in workdir.glob("*.log"))
    raise AssertionError(f"system not healthy in 60 s:\n{logs}")


@pytest.fixture(scope="session")
def api(system):
    return system["api"]


@pytest.fixture(scope="session")
def services_rpc(system):
    with ClusterRpcProxy({"AMQP_URI": system["amqp_uri"]}, timeout=10) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def programme_id(api):
    # Session-wide, so without the journey fixture: creating a programme needs only the api.
    return PaymentJourney(api).programme("E2E", "End-to-end programme")["id"]


@pytest.fixture(scope="session")
def partner(system):
    """The sandbox payout partner the system pays through (control API: partner.control)."""
    return system["partner"]


@pytest.fixture(scope="session")
def stripe(system):
    """The Stripe fake the system pays bank accounts and cards through (control API:
    stripe.objects(type), stripe.ok(method, path), ...)."""
    return system["stripe"]


@pytest.fixture
def publish_system_event(system):
    """Publish another service's event into the system, enveloped as its outbox relay would."""
    import pika

    def publish(source: str, event_type: str, data: dict) -> dict:
        envelope = new_envelope(source, event_type, data).to_dict()
        connection = pika.BlockingConnection(pika.URLParameters(system["amqp_uri"]))
        channel = connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(f"{source}.events", exchange_type="topic", durable=True)
        channel.basic_publish(f"{source}.events", event_type, json.dumps(envelope).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=envelope["event_id"]))
        connection.close()
        return envelope
    return publish


class PaymentJourney:
    """The steps the payment tests share, taken as the system takes them: a case registered
    by a caseworker, a plan approved as plans reserves and announces it, an arrival as intake
    announces it, batches prepared by one finance officer and released by another."""

    PLAN_TOTAL = 150_000  # EUR 1,500: instalment 1 is EUR 750

    def __init__(self, api, services_rpc=None, publish_system_event=None, eventually=None):
        self.api = api
        self.rpc = services_rpc
        self.publish = publish_system_event
        self.eventually = eventually

    @staticmethod
    def eur(amount: int) -> dict:
        return {"amount": amount, "currency": "EUR"}

    def programme(self, code: str, name: str, *, budget: int = 5_000_000, **extra) -> dict:
        """A EUR programme hosted in Portugal from 2026-01-01, `budget` (cents) funded by the EU,
        with any `extra` fields (say voucher_expiry_days); the programme as created."""
        status, created = self.api.call("POST", "/api/v1/programmes", {
            "code": code, "name": name, "host_country": "PT", "currency": "EUR",
            "start_date": "2026-01-01", **extra,
            "funding_sources": [{"code": "EU", "budget": self.eur(budget)}]},
            token=self.api.login("admin"))
        assert status == 201, created
        return created

    def register(self, programme_id: str, given_names: str, family_names: str, *,
                 country: str = "GN", born: str = "1990-03-02", sex: str = "female",
                 language: str = "fr") -> str:
        """A registered case returning to `country` (its nationality too), once payments knows it."""
        status, created = self.api.call("POST", "/api/v1/cases", {
            "programme_id": programme_id, "given_names": given_names, "family_names": family_names,
            "date_of_birth": born, "sex": sex, "nationality": country, "languages": [language],
            "migratory_status": "irregular", "return_country": country, "referral_source": "self",
            "consent": {"given": True, "date": "2026-01-05", "scope": ["case_management"]},
            "intends_to_apply_for_reintegration": True}, token=self.api.login("caseworker"))
        assert status == 201, created
        self.eventually(lambda: self.rpc.payments.get_beneficiary_case(created["id"]))
        return created["id"]

    def set_method(self, case_id: str, route: str, details: dict) -> dict:
        status, method = self.api.call("PUT", f"/api/v1/cases/{case_id}/payout-method",
                                       {"route": route, "details": details},
                                       token=self.api.login("caseworker"))
        assert status == 200, method
        return method

    def make_due(self, programme_id: str, case_id: str) -> None:
        """Approve a EUR 1,500 plan for the case and record its arrival: instalment 1 is due."""
        plan_id, total = str(uuid.uuid4()), self.eur(self.PLAN_TOTAL)
        self.rpc.payments.reserve_budget(f"plan:{plan_id}:v1:reserve", programme_id,
                                         f"plan:{plan_id}", total, case_id)
        self.publish("plans", "plan_approved", {
            "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id, "version": 1,
            "total": total, "currency": "EUR", "reservation_id": f"plan:{plan_id}",
            "lines": [{"category": "business", "amount": total}]})
        self.publish("intake", "case_arrived", {
            "case_id": case_id, "programme_id": programme_id, "from_status": "departed",
            "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00", "arrival_date": "2026-11-02"})
        self.instalment_when(case_id, "due")

    def instalment(self, case_id: str, number: int = 1, as_user: str = "supervisor") -> dict:
        status, answer = self.api.call("GET", f"/api/v1/cases/{case_id}/instalments",
                                       token=self.api.login(as_user))
        assert status == 200, answer
        return next((i for i in answer["instalments"] if i["number"] == number), {})

    def instalment_when(self, case_id: str, status: str, *, as_user: str = "supervisor",
                        timeout: float = 20.0) -> dict:
        """Instalment 1 as `as_user` sees it, once its status is `status`."""
        def reached():
            instalment = self.instalment(case_id, as_user=as_user)
            return instalment if instalment.get("status") == status else None
        return self.eventually(reached, timeout=timeout)

    def release_batch(self, programme_id: str) -> dict:
        """Prepared by one finance officer, released by another; the prepared view."""
        status, batch = self.api.call("POST", "/api/v1/payout-batches",
                                      {"programme_id": programme_id},
                                      token=self.api.login("finance_officer"))
        assert status == 201, batch
        status, released = self.api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release",
                                         token=self.api.login("finance-officer-2"))
        assert status == 202, released
        return batch

    def completed_batch(self, batch_id: str) -> dict:
        """The batch's view once every payout of it has ended."""
        def completed():
            _, view = self.api.call("GET", f"/api/v1/payout-batches/{batch_id}",
                                    token=self.api.login("finance_officer"))
            return view if view["status"] == "completed" else None
        return self.eventually(completed, timeout=30)


@pytest.fixture
def journey(api, services_rpc, publish_system_event, eventually):
    return PaymentJourney(api, services_rpc, publish_system_event, eventually)
