"""Plans on a real broker vhost, with the real payments service for the budget.

Tests may start payments' container beside plans' (the services themselves never import
each other): the budget ledger is payments' and faking it would prove nothing.
"""
import pytest
from nameko.testing.services import entrypoint_hook

from reintegra.contracts import new_envelope
from reintegra.contracts.errors import NotFound
from reintegra.messaging.migrations import upgrade

from payments.entrypoints.service import PaymentsService
from plans.entrypoints.service import PlansService

CASEWORKER = {"actor_id": "carla", "actor_role": "caseworker"}
PLAN_TOTAL = 100_000


@pytest.fixture
def as_caseworker():
    return CASEWORKER


@pytest.fixture
def as_supervisor():
    return {"actor_id": "sofia", "actor_role": "supervisor"}


@pytest.fixture
def plan_total():
    """Every plan of these tests costs this much (EUR 1,000) unless a test says otherwise."""
    return PLAN_TOTAL


def _line(amount=PLAN_TOTAL, category="income_generating_activity", **extra):
    return {"category": category, "description": "sewing machine and fabric",
            "amount": {"amount": amount, "currency": "EUR"}, **extra}


@pytest.fixture
def line():
    """A plan line as the API takes it."""
    return _line


@pytest.fixture
def plans_config(service_config, migrated):
    migrated("plans", service_config["DATABASE_URL"])
    # Tests look at the database, not the broker, for what plans announces.
    return {**service_config, "OUTBOX_RELAY": False}


@pytest.fixture
def start_plans(container_factory, plans_config):
    def start(**config):
        container = container_factory(PlansService, {**plans_config, **config})
        container.start()
        return container
    return start


@pytest.fixture
def payments(container_factory, service_config, tmp_path):
    url = f"sqlite:///{tmp_path / 'payments.sqlite'}"
    upgrade("payments", url)
    container = container_factory(PaymentsService, {**service_config, "DATABASE_URL": url,
                                                    "OUTBOX_RELAY": False})
    container.start()
    return container


@pytest.fixture
def call():
    """Call an RPC of a running container as someone (the gateway's identity headers)."""
    def invoke(container, method, *args, actor=None):
        with entrypoint_hook(container, method, context_data=actor or {}) as hook:
            return hook(*args)
    return invoke


@pytest.fixture
def budget_of(call):
    def report(payments, programme_id):
        return call(payments, "get_budget", programme_id)
    return report


@pytest.fixture
def ready(known, call, eventually):
    """Plans and payments have both learned of the programme, and plans of these cases."""
    def answers(container, method, programme_id):
        try:
            return call(container, method, programme_id)
        except NotFound:
            return None

    def wait(plans, payments, programme_id, case_ids=()):
        eventually(lambda: answers(payments, "get_budget", programme_id))
        eventually(lambda: answers(plans, "get_scoring_weights", programme_id))
        for case_id in case_ids:
            known(plans, case_id)
    return wait


@pytest.fixture
def programme(publish_event):
    """Announce a programme (as intake does) with a budget of `plans_covered` plan totals."""
    def announce(programme_id="prog-1", plans_covered=20):
        publish_event(new_envelope("intake", "programme_created", {
            "programme_id": programme_id, "code": programme_id.upper(), "currency": "EUR",
            "allowance_cap": {"amount": 200_000, "currency": "EUR"},
            "instalment_split": [50, 50], "monitoring_months": 6,
            "justification_threshold_percent": 100,
            "funding_sources": [{"code": "EU", "budget": {
                "amount": plans_covered * PLAN_TOTAL, "currency": "EUR"}}],
            "start_date": "2026-01-01", "end_date": None}).to_dict())
        return programme_id
    return announce


@pytest.fixture
def case_event(publish_event):
    """Announce a case (`case_registered`) or one of its transitions, as intake does."""
    def announce(case_id, programme_id="prog-1", to_status="registered", level="low"):
        if to_status == "registered":
            event = new_envelope("intake", "case_registered", {
                "case_id": case_id, "programme_id": programme_id, "status": "registered",
                "return_country": "GN", "vulnerability_level": level,
                "intends_to_apply": True, "registered_at": "2026-11-01T10:00:00+00:00"})
        else:
            extra = {"arrival_date": "2026-12-01"} if to_status == "arrived" else {}
            event = new_envelope("intake", f"case_{to_status}", {
                "case_id": case_id, "programme_id": programme_id, "from_status": "registered",
                "to_status": to_status, "at": "2026-11-02T10:00:00+00:00", **extra})
        publish_event(event.to_dict())
    return announce


@pytest.fixture
def known(call, eventually):
    """Wait until plans has learned of a case (and its status, if given) from intake."""
    def wait(plans, case_id, status=None):
        def learned():
            facts = call(plans, "get_case_facts", case_id)
            return facts if facts and (status is None or facts["status"] == status) else None
        return eventually(learned)
    return wait


@pytest.fixture
def submitted_plan(call):
    def make(plans, case_id, lines=None):
        plan = call(plans, "draft_plan", case_id, {"lines": lines or [_line()]},
                    actor=CASEWORKER)
        return call(plans, "submit_plan", plan["id"], {}, actor=CASEWORKER)
    return make
