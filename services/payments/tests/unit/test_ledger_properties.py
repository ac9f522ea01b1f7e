"""Random histories of the money: the ledger, the instalments and the payouts together.

The machine plays the part of the service layer (plan approved → reserve, payout paid →
post, withdrawal or reduction → release, ...) and, after every step, checks the rules
that must hold whatever happened before: debits equal credits, available never below
zero per programme and per funding source, nobody paid more than the cap, instalment 2
never paid before instalment 1, and the ledger agrees with the schedules to the cent.
"""
import copy
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, settings, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule)
from reintegra.money import Money

from payments.domain.budget_report import available_never_negative, debits_equal_credits
from payments.domain.instalments import (InstalmentSchedule, InstalmentStatus, OverPayment,
                                         ScheduleError, cancel_unpaid, revise, schedule_for_plan)
from payments.domain.ledger import BudgetLedger, IdempotencyConflict, InsufficientBudget
from payments.domain.payouts import InstalmentPayouts, Payout, PayoutStatus
from payments.domain.postings import AccountKind

PROGRAMME = "P1"
CAP = Money(200_000, "EUR")
THRESHOLD = 80
CASE_NEWS = [("arrived", None), ("justified", 0), ("justified", 79), ("justified", 80),
             ("justified", 100), ("contact", "contact-1"), ("contact", "contact-2")]
IN_FLIGHT = {PayoutStatus.RELEASED, PayoutStatus.SUBMITTED}


def reached(milestone: str) -> None:
    """Count how often random histories get somewhere (see --hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(milestone)


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


@dataclass
class Case:
    schedule: InstalmentSchedule
    payouts: dict[int, InstalmentPayouts]
    revisions: int = 0
    releases: int = 0

    @property
    def reference(self) -> str:
        return self.schedule.plan_id

    def all_payouts(self) -> list[Payout]:
        return [p for group in self.payouts.values() for p in group.payouts]


@dataclass
class Delivery:
    case_id: str
    payout_id: str
    status: PayoutStatus


class MoneyMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.ledger = BudgetLedger()
        # Awkward amounts, so that 75/25-ish splits leave odd cents everywhere.
        self.ledger.allocate_budget("alloc-1", PROGRAMME,
                                    {"AMIF": eur(750_003), "PT": eur(250_001)})
        self.cases: dict[str, Case] = {}
        self.done: list[tuple[str, tuple, object]] = []
        self.deliveries: list[Delivery] = []

    # The service layer, as far as the money goes ---------------------------------------------

    def ledger_call(self, operation: str, *args):
        transaction = getattr(self.ledger, operation)(*args)
        self.done.append((operation, args, transaction))
        return transaction

    def release(self, case: Case, amount: Money) -> None:
        if not amount.is_zero():
            case.releases += 1
            self.ledger_call("release", f"release:{case.reference}:{case.releases}",
                             PROGRAMME, case.reference, amount)

    def pick(self, items: list, index: int):
        return items[index % len(items)]

    def open_cases(self) -> list[str]:
        return sorted(c for c, case in self.cases.items() if not case.schedule.withdrawn)

    def in_flight(self) -> list[tuple[str, Payout]]:
        return [(c, p) for c, case in sorted(self.cases.items()) for p in case.all_payouts()
                if p.status in IN_FLIGHT]

    def failed(self) -> list[tuple[str, int, Payout]]:
        return [(c, n, p) for c, case in sorted(self.cases.items())
                for n, group in case.payouts.items() for p in group.payouts
                if p.status is PayoutStatus.FAILED]

    def payable(self) -> list[tuple[str, int]]:
        return [(c, i.number) for c, case in sorted(self.cases.items())
                if not case.schedule.withdrawn
                for i in case.schedule.instalments if i.status is InstalmentStatus.DUE]

    # Rules ----------------------------------------------------------------------------------

    @initialize(totals=st.lists(st.integers(100_000, 200_000), min_size=1, max_size=3),
                followed_up=st.booleans(), first_batch_released=st.booleans())
    def people_with_approved_plans_arrive(self, totals, followed_up, first_batch_released):
        """Start where the money starts moving, so that short histories reach the payouts."""
        for total in totals:
            self.approve_plan(total)
        for case in self.cases.values():
            case.schedule.record_arrival()
            if followed_up:
                case.schedule.record_justified(1, case.schedule.instalment(1).amount)
                case.schedule.record_monitoring_contact("contact-1")
        if first_batch_released:
            self.release_batch_of_due_instalments(whole=True)

    @rule(total=st.one_of(st.integers(10_000, 200_000), st.integers(1, 250_000)))
    def approve_plan(self, total):
        case_id = f"case-{len(self.cases) + 1}"
        plan_id = f"plan-{len(self.cases) + 1}"
        try:
            schedule = schedule_for_plan(plan_id, case_id, PROGRAMME, eur(total), [50, 50], CAP,
                                         justification_threshold_percent=THRESHOLD)
            self.ledger_call("reserve", f"reserve:{plan_id}", PROGRAMME, eur(total), plan_id)
        except (ScheduleError, InsufficientBudget) as refusal:
            reached(f"plan refused: {type(refusal).__name__}")
            return
        self.cases[case_id] = Case(schedule, {
            i.number: InstalmentPayouts(i.id, case_id, i.amount) for i in schedule.instalments})

    @precondition(lambda self: self.open_cases())
    @rule(index=st.integers(0, 99), news=st.sampled_from(CASE_NEWS))
    def news_about_a_case_arrives(self, index, news):
        """case_arrived, expenses_justified or monitoring_contact_completed, maybe again."""
        schedule = self.cases[self.pick(self.open_cases(), index)].schedule
        kind, detail = news
        if kind == "arrived":
            schedule.record_arrival()
        elif kind == "justified":
            schedule.record_justified(1, eur(schedule.instalment(1).amount.amount * detail // 100))
        else:
            schedule.record_monitoring_contact(detail)

    @precondition(lambda self: self.payable())
    @rule(whole=st.booleans())
    def release_batch_of_due_instalments(self, whole):
        for case_id, number in self.payable():
            instalment = self.cases[case_id].schedule.instalment(number)
            unpaid = instalment.unpaid
            amount = unpaid if whole or unpaid.amount < 2 else eur(unpaid.amount // 2)
            payout = self.cases[case_id].payouts[number].prepare("payee", "mobile_money", amount)
            payout.release("batch")
            instalment.start_paying()

    @precondition(lambda self: self.in_flight())
    @rule(start=st.integers(0, 99), statuses=st.lists(st.sampled_from(
        [PayoutStatus.SUBMITTED, PayoutStatus.PAID, PayoutStatus.FAILED]), min_size=1, max_size=4))
    def provider_reports(self, start, statuses):
        """Callbacks about one or several in-flight payouts, as a provider sends them."""
        in_flight = self.in_flight()
        for offset, status in enumerate(statuses[:len(in_flight)]):
            case_id, payout = in_flight[(start + offset) % len(in_flight)]
            self.deliver(Delivery(case_id, payout.id, status))

    @precondition(lambda self: self.deliveries)
    @rule(index=st.integers(0, 99))
    def provider_repeats_an_old_report(self, index):
        delivery = self.pick(self.deliveries, index)
        assert not self.deliver(delivery)

    @precondition(lambda self: self.failed())
    @rule(index=st.integers(0, 99), reroute=st.booleans())
    def finance_decides_on_a_failed_payout(self, index, reroute):
        case_id, number, payout = self.pick(self.failed(), index)
        payouts = self.cases[case_id].payouts[number]
        instalment = self.cases[case_id].schedule.instalment(number)
        if not reroute or instalment.status is not InstalmentStatus.DUE:
            assert payouts.return_to_reservation(payout.id)
            return
        try:
            replacement = payouts.reroute(payout.id, "cash_pickup")
        except OverPayment:
            reached("re-route refused: the instalment was reduced since")
            return
        replacement.release("batch")
        instalment.start_paying()
        reached("failed payout re-routed")

    @precondition(lambda self: self.open_cases())
    @rule(index=st.integers(0, 99), new_total=st.one_of(st.integers(10_000, 200_000),
                                                      st.integers(1, 250_000)))
    def revise_plan(self, index, new_total):
        case = self.cases[self.pick(self.open_cases(), index)]
        candidate = copy.deepcopy(case.schedule)
        try:
            change = revise(candidate, eur(new_total))
            if not change.to_reserve.is_zero():
                self.ledger_call("reserve", f"revise:{case.reference}:{case.revisions + 1}",
                                 PROGRAMME, change.to_reserve, case.reference)
        except (ScheduleError, InsufficientBudget) as refusal:
            reached(f"revision refused: {type(refusal).__name__}")
            return  # the unit of work rolls back: the schedule is left as it was
        case.revisions += 1
        case.schedule = candidate
        for instalment in candidate.instalments:
            case.payouts[instalment.number].instalment_amount = instalment.amount
        self.release(case, change.to_release)

    @precondition(lambda self: self.open_cases())
    @rule(index=st.integers(0, 99))
    def withdraw_case(self, index):
        case = self.cases[self.pick(self.open_cases(), index)]
        self.release(case, cancel_unpaid(case.schedule).to_release)

    @precondition(lambda self: self.done)
    @rule(index=st.integers(0, 99), same_data=st.booleans())
    def ledger_operation_delivered_again(self, index, same_data):
        operation, args, first = self.pick(self.done, index)
        balances = dict(self.ledger.balances)
        if same_data:
            assert getattr(self.ledger, operation)(*args) == first
        else:
            changed = list(args)
            changed[2 if operation == "reserve" else 3] += eur(1)
            with pytest.raises(IdempotencyConflict):
                getattr(self.ledger, operation)(*changed)
        assert self.ledger.balances == balances

    def deliver(self, delivery: Delivery) -> bool:
        """The payout-status handler: apply, then post or put the instalment back to due."""
        case = self.cases[delivery.case_id]
        number, payout = next((n, p) for n, g in case.payouts.items() for p in g.payouts
                              if p.id == delivery.payout_id)
        self.deliveries.append(delivery)
        if not payout.apply_provider_status(delivery.status, provider_reference=payout.id):
            return False
        instalment = case.schedule.instalment(number)
        if delivery.status is PayoutStatus.PAID:
            case.schedule.record_payment(number, payout.amount)
            self.ledger_call("post", f"post:{payout.id}", PROGRAMME, case.reference, payout.amount)
            reached(f"instalment {number} paid")
        elif delivery.status is PayoutStatus.FAILED:
            instalment.payout_failed()
        if case.schedule.withdrawn and instalment.status is InstalmentStatus.DUE:
            # A withdrawn case's instalment that was being paid: what was not paid is released.
            self.release(case, cancel_unpaid(case.schedule).to_release)
            reached("withdrawn case released after its payout ended")
        return True

    # Invariants -----------------------------------------------------------------------------

    @invariant()
    def debits_equal_credits(self):
        assert debits_equal_credits(self.ledger.postings)

    @invariant()
    def available_is_never_negative(self):
        report = self.ledger.balance(PROGRAMME)
        assert not report.overall.available.is_negative()
        assert all(not source.available.is_negative() for source in report.by_source.values())
        assert available_never_negative(self.ledger.postings)
        assert report.overall.total == eur(1_000_004)

    @invariant()
    def nobody_is_paid_more_than_the_cap(self):
        for case in self.cases.values():
            paid = self.ledger.held(PROGRAMME, case.reference, AccountKind.PAID)
            assert paid == case.schedule.paid <= CAP

    @invariant()
    def the_second_instalment_is_never_paid_before_the_first(self):
        for case in self.cases.values():
            second = case.schedule.instalment(2)
            if second.status is InstalmentStatus.PAID or not second.paid.is_zero():
                assert case.schedule.instalment(1).status is InstalmentStatus.PAID

    @invariant()
    def the_reservation_is_exactly_what_remains_to_be_paid(self):
        for case in self.cases.values():
            reserved = self.ledger.held(PROGRAMME, case.reference, AccountKind.RESERVED)
            assert reserved == case.schedule.outstanding

    @invariant()
    def no_instalment_has_more_in_payment_than_its_amount(self):
        for case in self.cases.values():
            for number, group in case.payouts.items():
                instalment = case.schedule.instalment(number)
                assert group.committed <= instalment.amount
                assert group.paid == instalment.paid


MoneyMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_money_stays_right_whatever_happens = MoneyMachine.TestCase


def check_every_rule(machine: MoneyMachine) -> None:
    for name in ("debits_equal_credits", "available_is_never_negative",
                 "nobody_is_paid_more_than_the_cap",
                 "the_second_instalment_is_never_paid_before_the_first",
                 "the_reservation_is_exactly_what_remains_to_be_paid",
                 "no_instalment_has_more_in_payment_than_its_amount"):
        getattr(machine, name)()


def test_a_history_paying_both_instalments_through_a_reroute_keeps_every_rule():
    """The deepest path, walked on purpose: random histories reach it only now and then."""
    machine = MoneyMachine()
    steps = [
        lambda: machine.people_with_approved_plans_arrive(
            totals=[200_000], followed_up=True, first_batch_released=True),
        lambda: machine.provider_reports(start=0, statuses=[PayoutStatus.PAID]),
        lambda: machine.release_batch_of_due_instalments(whole=True),
        lambda: machine.provider_reports(start=0, statuses=[PayoutStatus.FAILED]),
        lambda: machine.provider_repeats_an_old_report(index=1),
        lambda: machine.finance_decides_on_a_failed_payout(index=0, reroute=True),
        lambda: machine.provider_reports(start=0, statuses=[PayoutStatus.SUBMITTED]),
        lambda: machine.provider_reports(start=0, statuses=[PayoutStatus.PAID]),
        lambda: machine.provider_repeats_an_old_report(index=4),
        lambda: machine.ledger_operation_delivered_again(index=1, same_data=True),
        lambda: machine.ledger_operation_delivered_again(index=2, same_data=False),
        lambda: machine.withdraw_case(index=0),
    ]
    for step in steps:
        step()
        check_every_rule(machine)
    schedule = machine.cases["case-1"].schedule
    assert [i.status for i in schedule.instalments] == [InstalmentStatus.PAID] * 2
    assert machine.ledger.balance(PROGRAMME).overall.paid == eur(200_000)
    assert machine.ledger.balance(PROGRAMME).overall.available == eur(800_004)
