"""The operations view of a programme, from the facts kept about payouts, budget and instalments."""
from reintegra.money import Money

from monitoring.domain.operations import (FAILED, PAID, RELEASED, RELEASED_BUDGET, RESERVED,
                                          BudgetMovement, DueInstalment, PayoutFact,
                                          furthest_status, operations_summary)


def eur(amount):
    return Money(amount, "EUR")


def test_a_payout_first_heard_of_takes_the_reported_status():
    assert furthest_status(None, RELEASED) == RELEASED


def test_a_late_released_report_never_moves_a_paid_payout_back():
    assert furthest_status(PAID, RELEASED) == PAID


def test_a_final_status_is_kept_whatever_is_reported_after_it():
    assert furthest_status(FAILED, PAID) == FAILED
    assert furthest_status(RELEASED, FAILED) == FAILED


def test_payouts_are_counted_by_route_and_status_and_only_paid_ones_add_to_the_amount_paid():
    summary = operations_summary("p-1", [
        PayoutFact("in-1", "mobile_money", PAID, eur(75_000)),
        PayoutFact("in-2", "mobile_money", FAILED, eur(50_000)),
        PayoutFact("in-3", "cash_pickup", RELEASED, eur(20_000)),
        PayoutFact("in-4", "mobile_money", PAID, Money(1_000_000, "GMD")),
    ], [], [])
    assert summary["routes"] == [
        {"route": "cash_pickup", "payouts": {"released": 1, "paid": 0, "failed": 0}, "paid": []},
        {"route": "mobile_money", "payouts": {"released": 0, "paid": 2, "failed": 1},
         "paid": [{"amount": 75_000, "currency": "EUR"}, {"amount": 1_000_000, "currency": "GMD"}]},
    ]
    assert summary["paid"] == [{"amount": 75_000, "currency": "EUR"},
                               {"amount": 1_000_000, "currency": "GMD"}]


def test_budget_reserved_and_released_are_summed_per_currency():
    summary = operations_summary("p-1", [], [
        BudgetMovement(RESERVED, eur(150_000)), BudgetMovement(RESERVED, eur(100_000)),
        BudgetMovement(RELEASED_BUDGET, eur(40_000))], [])
    assert summary["budget"] == [{"currency": "EUR", "reserved": 250_000, "released": 40_000}]


def test_a_due_instalment_awaits_payment_until_a_payout_of_it_is_paid():
    due = [DueInstalment("in-1", eur(75_000)), DueInstalment("in-2", eur(60_000))]
    payouts = [PayoutFact("in-1", "mobile_money", PAID, eur(75_000)),
               PayoutFact("in-2", "mobile_money", FAILED, eur(60_000))]
    assert operations_summary("p-1", payouts, [], due)["instalments"] == {
        "due": 2, "awaiting_payment": 1,
        "amount_awaiting_payment": [{"amount": 60_000, "currency": "EUR"}]}


def test_a_programme_nothing_happened_in_has_an_empty_view():
    assert operations_summary("p-1", [], [], []) == {
        "programme_id": "p-1", "routes": [], "paid": [], "budget": [],
        "instalments": {"due": 0, "awaiting_payment": 0, "amount_awaiting_payment": []}}
