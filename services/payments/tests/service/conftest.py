"""Fixtures of payments' service tests: a running container, programmes announced by intake."""
import uuid

import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts import new_envelope
from reintegra.messaging.storage import Store

from sandbox_partner.process import SandboxPartnerProcess

from payments.entrypoints.service import PaymentsService


@pytest.fixture(scope="module")
def partner(tmp_path_factory):
    """The sandbox payout partner, a real HTTP server in its own process (reset per test)."""
    with SandboxPartnerProcess(tmp_path_factory.mktemp("partner"), settle_delay_ms=20,
                               extra_args=("--callback-backoff-ms", "20")) as process:
        yield process


@pytest.fixture
def fresh_partner(partner):
    partner.control.reset()
    return partner


def partner_routes(url: str) -> dict:
    return {route: {"adapter": "sandbox_partner", "url": url, "token": "sandbox-token",
                    "timeout": 2} for route in ("mobile_money", "cash_pickup")}


@pytest.fixture
def payments_config(service_config, migrated, fresh_partner):
    migrated("payments", service_config["DATABASE_URL"])
    return {**service_config, "PAYOUT_ROUTES": partner_routes(fresh_partner.url),
            "PAYOUTS": {"lease_seconds": 1, "poll_interval_seconds": 0.05,
                        "first_backoff_seconds": 0.1, "max_backoff_seconds": 1}}


@pytest.fixture
def service(container_factory, payments_config):
    container = container_factory(PaymentsService, payments_config)
    container.start()
    return container


@pytest.fixture
def call(service):
    """Call one of the service's RPC entrypoints, as another service would; `as_user` is the
    staff member the gateway would say is calling."""
    def invoke(name: str, *args, as_user: str | None = None, **kwargs):
        context = {"actor_id": as_user, "actor_role": "finance_officer"} if as_user else None
        with entrypoint_hook(service, name, context_data=context) as entrypoint:
            return entrypoint(*args, **kwargs)
    return invoke


@pytest.fixture
def publish(publish_event):
    """Publish another service's event, enveloped as its outbox relay would."""
    def send(source: str, event_type: str, data: dict) -> dict:
        envelope = new_envelope(source, event_type, data).to_dict()
        publish_event(envelope, source=source)
        return envelope
    return send


@pytest.fixture
def due_instalment(call, publish, funded_programme, eventually):
    """A registered, arrived case with an approved EUR 1,500 plan and a mobile-money wallet:
    its first instalment (EUR 750) is due. Returns (case id, plan id)."""
    def make(phone="+2207000001"):
        case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
        publish("intake", "case_registered", {
            "case_id": case_id, "programme_id": funded_programme, "status": "registered",
            "return_country": "GM", "vulnerability_level": "low", "intends_to_apply": True,
            "registered_at": "2026-11-01T10:00:00+00:00"})
        eventually(lambda: call("get_beneficiary_case", case_id))
        call("set_payout_method", case_id, {"route": "mobile_money", "details": {
            "phone": phone, "operator": "afrimoney"}}, as_user="caseworker-1")
        call("reserve_budget", f"plan:{plan_id}:v1:reserve", funded_programme,
             f"plan:{plan_id}", eur(150_000))
        publish("plans", "plan_approved", {
            "case_id": case_id, "plan_id": plan_id, "programme_id": funded_programme,
            "version": 1, "total": eur(150_000), "currency": "EUR",
            "reservation_id": f"plan:{plan_id}",
            "lines": [{"category": "business", "amount": eur(150_000)}]})
        publish("intake", "case_arrived", {
            "case_id": case_id, "programme_id": funded_programme, "from_status": "departed",
            "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00",
            "arrival_date": "2026-11-02"})
        eventually(lambda: [i for i in call("case_instalments", case_id)["instalments"]
                            if i["status"] == "due"])
        return case_id, plan_id
    return make


@pytest.fixture
def programme_created_event():
    """intake's `programme_created` for a fresh programme of EUR 50,000: 75 % EU, 25 % PT."""
    def make(budget_eu=3_750_000, budget_pt=1_250_000, split=(50, 50), threshold=80):
        return new_envelope("intake", "programme_created", {
            "programme_id": str(uuid.uuid4()), "code": "ARV-T", "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"},
            "instalment_split": list(split), "monitoring_months": 6,
            "justification_threshold_percent": threshold,
            "funding_sources": [
                {"code": "EU", "budget": {"amount": budget_eu, "currency": "EUR"}},
                {"code": "PT", "budget": {"amount": budget_pt, "currency": "EUR"}}],
            "start_date": "2026-01-01", "end_date": None}).to_dict()
    return make


@pytest.fixture
def funded_programme(service, call, publish_event, programme_created_event, eventually):
    """The id of a programme whose EUR 50,000 budget payments has allocated."""
    event = programme_created_event()
    publish_event(event)
    programme_id = event["data"]["programme_id"]

    def allocated():
        try:
            return call("get_budget", programme_id)["total"]["amount"] == 5_000_000
        except Exception:
            return False
    eventually(allocated)
    return programme_id


def eur(amount: int) -> dict:
    return {"amount": amount, "currency": "EUR"}


@pytest.fixture
def money():
    return eur


@pytest.fixture
def store(database_url, migrated):
    """Payments' database, migrated, for tests that drive the service layer in process (no
    container): on SQLite and, when the test command started it, PostgreSQL."""
    migrated("payments", database_url)
    store = Store(database_url, source="payments")
    yield store
    store.dispose()
