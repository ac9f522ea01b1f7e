"""Intake commits a case and its announcement together, and refuses bad input whole."""
import pytest
import sqlalchemy as sa
from nameko.testing.services import entrypoint_hook

from reintegra.contracts.errors import InvalidInput
from reintegra.messaging.tables import outbox
from intake.service import IntakeService

PROGRAMME = {"code": "ARVORE-T", "name": "Test programme", "host_country": "PT", "currency": "EUR",
             "start_date": "2026-01-01",
             "funding_sources": [{"code": "EU", "budget": {"amount": 1000000, "currency": "EUR"}}]}


def person(programme_id):
    return {"programme_id": programme_id, "given_names": "Amina", "family_names": "Diallo",
            "date_of_birth": "1990-02-03", "nationality": "GN", "return_country": "GN",
            "consent": {"given": True, "date": "2026-11-01", "scope": ["case_management"]}}


@pytest.fixture
def intake(container_factory, service_config, migrated):
    migrated("intake", service_config["DATABASE_URL"])
    container = container_factory(IntakeService, {**service_config, "OUTBOX_RELAY": False})
    container.start()
    return container


def outbox_events(url):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.event_type, outbox.c.body).order_by(outbox.c.id)).all()
    engine.dispose()
    return rows


def test_registering_a_case_records_exactly_one_case_registered_event_without_names(intake, service_config):
    with entrypoint_hook(intake, "create_programme") as create_programme:
        programme = create_programme(PROGRAMME)
    with entrypoint_hook(intake, "register_case", context_data={"actor_id": "u-1", "actor_role": "caseworker"}) as register:
        created = register(person(programme["id"]))
    events = outbox_events(service_config["DATABASE_URL"])
    assert [e.event_type for e in events] == ["programme_created", "case_registered"]
    body = events[1].body
    assert body["data"]["case_id"] == created["id"]
    assert body["actor"] == {"id": "u-1", "role": "caseworker"}
    assert "Diallo" not in str(body) and "Amina" not in str(body)


def test_an_invalid_registration_names_each_field_and_stores_nothing(intake, service_config):
    with entrypoint_hook(intake, "register_case", context_data={"actor_id": "u-1", "actor_role": "caseworker"}) as register:
        with pytest.raises(InvalidInput) as refused:
            register({"given_names": "", "consent": {"given": False}})
    assert {"given_names", "family_names", "consent.given"} <= set(refused.value.fields)
    assert outbox_events(service_config["DATABASE_URL"]) == []
