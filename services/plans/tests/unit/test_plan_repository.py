"""A plan saved and loaded again is the same plan, every version and its history included."""
import pytest

from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store

from plans.adapters.plan_repository import PlanRepository
from plans.domain.plan_lines import Category, Supplier


@pytest.fixture
def session(tmp_path):
    url = f"sqlite:///{tmp_path / 'plans.sqlite'}"
    upgrade("plans", url)
    store = Store(url, source="plans")
    with store.unit_of_work() as uow:
        yield uow.session
    store.dispose()


def test_every_version_and_its_history_survive_a_round_trip(
        session, approved_plan, line, caseworker, cap, at):
    plan = approved_plan([line(supplier=Supplier("Loja do Ferreiro", "quote 17")),
                          line(Category.HOUSING, amount=20_000)])
    plan.revise([line(amount=90_000)], "cheaper machine", caseworker, True, cap, at(5))
    PlanRepository(session).add(plan)
    loaded = PlanRepository(session).get("p1")
    assert [vars(v) for v in loaded.versions] == [vars(v) for v in plan.versions]
    assert (loaded.case_id, loaded.programme_id, loaded.currency) == ("case-1", "arvore-ix", "EUR")


def test_saving_again_updates_versions_and_adds_new_ones(session, approved_plan, line,
                                                         caseworker, cap, at):
    plan = approved_plan()
    repository = PlanRepository(session)
    repository.add(plan)
    plan.revise([line(amount=90_000)], "cheaper machine", caseworker, True, cap, at(5))
    plan.cancel("case withdrawn", at(6))
    repository.save(plan)
    loaded = repository.get("p1")
    assert [v.status.value for v in loaded.versions] == ["cancelled", "cancelled"]
    assert (loaded.cancelled_at, loaded.cancellation_reason) == (at(6), "case withdrawn")
