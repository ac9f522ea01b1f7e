"""Events recorded in the outbox with the state change: one at a time or many in one insert."""
import pytest
import sqlalchemy as sa

from reintegra.contracts import ContractViolation
from reintegra.messaging.storage import Store
from reintegra.messaging.tables import metadata, outbox

RESERVED = {"reservation_id": "plan:p-1", "programme_id": "prog-1",
            "amount": {"amount": 100_000, "currency": "EUR"}}


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'outbox.sqlite'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    store = Store(url, source="payments")
    yield store
    store.dispose()


def pending_types(store):
    with store.engine.connect() as conn:
        return sorted(row.event_type for row in conn.execute(sa.select(outbox.c.event_type)))


def test_many_events_are_recorded_together_and_each_gets_its_own_id(store):
    with store.unit_of_work() as uow:
        ids = uow.publish_many([("budget_reserved", RESERVED), ("budget_released", RESERVED)])
        uow.commit()
    assert len(set(ids)) == 2
    assert pending_types(store) == ["budget_released", "budget_reserved"]


def test_one_event_breaking_its_contract_keeps_the_whole_group_out(store):
    with store.unit_of_work() as uow:
        with pytest.raises(ContractViolation):
            uow.publish_many([("budget_reserved", RESERVED),
                              ("budget_released", {**RESERVED, "name": "Amina Diallo"})])
        uow.commit()
    assert pending_types(store) == []
