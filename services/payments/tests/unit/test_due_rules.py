from reintegra.money import Money

from payments.domain.events import InstalmentDue
from payments.domain.instalments import (DueFacts, InstalmentStatus, instalments_becoming_due,
                                         schedule_for_plan)


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def schedule(threshold: int = 100):
    return schedule_for_plan("plan-1", "case-1", "P1", eur(200_000), [50, 50], eur(200_000),
                             justification_threshold_percent=threshold)


def pay_first(plan):
    first = plan.instalment(1)
    first.start_paying()
    first.record_paid(first.amount)


def arrived_and_first_paid(threshold: int = 100):
    plan = schedule(threshold)
    plan.record_arrival()
    pay_first(plan)
    return plan


def test_nothing_is_due_before_the_person_arrives():
    assert instalments_becoming_due(schedule().instalments,
                                    DueFacts(False, {1: eur(100_000)}, 3), 100) == []


def test_the_first_instalment_becomes_due_on_arrival():
    plan = schedule()
    assert [event.number for event in plan.record_arrival()] == [1]
    assert plan.instalment(1).status is InstalmentStatus.DUE
    assert plan.instalment(2).status is InstalmentStatus.SCHEDULED


def test_the_second_is_never_due_while_the_first_is_unpaid_however_well_justified():
    plan = schedule()
    plan.record_arrival()
    plan.record_monitoring_contact("contact-1")
    assert plan.record_justified(1, eur(100_000)) == []
    assert plan.instalment(2).status is InstalmentStatus.SCHEDULED


def test_the_second_becomes_due_once_the_first_is_paid_justified_and_a_contact_completed():
    plan = arrived_and_first_paid()
    assert plan.record_justified(1, eur(100_000)) == []
    assert [event.number for event in plan.record_monitoring_contact("contact-1")] == [2]


def test_the_second_needs_a_completed_monitoring_contact():
    plan = arrived_and_first_paid()
    plan.record_justified(1, eur(100_000))
    assert plan.instalment(2).status is InstalmentStatus.SCHEDULED


def test_an_80_percent_threshold_is_met_at_80_percent_and_not_a_cent_below():
    plan = arrived_and_first_paid(threshold=80)
    plan.record_monitoring_contact("contact-1")
    assert plan.record_justified(1, eur(79_999)) == []
    assert [event.number for event in plan.record_justified(1, eur(80_000))] == [2]


def test_a_lowered_justified_total_replaces_the_figure_but_does_not_undo_a_due_instalment():
    plan = arrived_and_first_paid()
    plan.record_monitoring_contact("contact-1")
    plan.record_justified(1, eur(100_000))
    plan.record_justified(1, eur(60_000))
    assert plan.facts().justified == {1: eur(60_000)}
    assert plan.instalment(2).status is InstalmentStatus.DUE


def test_a_redelivered_monitoring_contact_counts_once():
    plan = schedule()
    plan.record_monitoring_contact("contact-1")
    plan.record_monitoring_contact("contact-1")
    assert plan.facts().monitoring_contacts_completed == 1


def test_an_instalment_is_announced_due_once_with_ids_and_amount_only():
    plan = schedule()
    announced = plan.record_arrival()
    assert plan.refresh_due() == []
    first = plan.instalment(1)
    assert announced == [InstalmentDue(instalment_id=first.id, case_id="case-1",
                                       plan_id="plan-1", number=1, amount=eur(100_000))]
    assert plan.events == announced


def test_a_third_instalment_waits_for_the_second_to_be_paid_and_justified():
    plan = schedule_for_plan("plan-1", "case-1", "P1", eur(150_000), [40, 30, 30], eur(200_000))
    plan.record_arrival()
    pay_first(plan)
    plan.record_monitoring_contact("contact-1")
    plan.record_justified(1, eur(60_000))
    assert [i.status for i in plan.instalments] == [
        InstalmentStatus.PAID, InstalmentStatus.DUE, InstalmentStatus.SCHEDULED]
    second = plan.instalment(2)
    second.start_paying()
    second.record_paid(second.amount)
    assert [event.number for event in plan.record_justified(2, eur(45_000))] == [3]
