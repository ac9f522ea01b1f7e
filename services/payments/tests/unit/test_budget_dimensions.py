"""The budget report by return country and by payout route, folded from the postings'
dimensions (payments.domain.ledger, payments.domain.budget_report)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegra.money import Money

from payments.domain.budget_report import NOT_YET_ROUTED, by_country, by_route, dimension_sums
from payments.domain.ledger import BudgetLedger, LedgerError


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def report(ledger: BudgetLedger):
    sums = dimension_sums(ledger.postings)
    return by_country(sums, "EUR"), by_route(sums, "EUR")


def test_a_reservation_carries_the_case_country_and_no_route(funded_ledger):
    transaction = funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    assert {(p.country, p.route) for p in transaction.postings} == {("GN", None)}


def test_a_payout_posting_inherits_the_reference_country_and_carries_its_route(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    transaction = funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "mobile_money")
    assert {(p.country, p.route) for p in transaction.postings} == {("GN", "mobile_money")}


def test_a_reference_keeps_the_country_of_its_first_reservation(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(100_000), "plan:a", country="GN")
    top_up = funded_ledger.reserve("r2", "P1", eur(50_000), "plan:a", country="SN")
    assert {p.country for p in top_up.postings} == {"GN"}


def test_a_ledger_loaded_with_a_reference_country_keeps_it_for_later_postings(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(100_000), "plan:a", country="GM")
    reloaded = BudgetLedger(funded_ledger.balances, funded_ledger.earmarks,
                            countries={"plan:a": "GM"})
    release = reloaded.release("x1", "P1", "plan:a", eur(10_000), "cash_pickup")
    assert {(p.country, p.route) for p in release.postings} == {("GM", "cash_pickup")}


def test_the_report_by_country_sums_reserved_paid_and_returned_per_country(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    funded_ledger.reserve("r2", "P1", eur(100_000), "plan:b", country="SN")
    funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "mobile_money")
    funded_ledger.post("p2", "P1", "plan:b", eur(50_000), "cash_pickup")
    funded_ledger.return_funds("f2", "P1", "plan:b", eur(50_000), "cash_pickup")
    countries, _ = report(funded_ledger)
    assert {c: (f.reserved, f.paid, f.returned) for c, f in countries.items()} == {
        "GN": (eur(75_000), eur(75_000), eur(0)),
        "SN": (eur(50_000), eur(0), eur(50_000))}


def test_reserved_money_is_not_yet_routed_and_paid_money_shows_under_its_route(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    funded_ledger.reserve("r2", "P1", eur(100_000), "plan:b", country="SN")
    funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "mobile_money")
    funded_ledger.post("p2", "P1", "plan:b", eur(50_000), "cash_pickup")
    funded_ledger.release("x1", "P1", "plan:a", eur(75_000), "mobile_money")
    _, routes = report(funded_ledger)
    assert {r: (f.reserved, f.paid) for r, f in routes.items()} == {
        "cash_pickup": (eur(0), eur(50_000)),
        "mobile_money": (eur(0), eur(75_000)),
        NOT_YET_ROUTED: (eur(50_000), eur(0))}


def test_a_reversal_carries_the_dimensions_of_what_it_reverses(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    paid = funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "mobile_money")
    reversal = funded_ledger.reverse("undo-p1", paid.id)
    assert {(p.country, p.route) for p in reversal.postings} == {("GN", "mobile_money")}
    countries, routes = report(funded_ledger)
    assert countries["GN"].paid == eur(0) and routes["mobile_money"].paid == eur(0)


def test_the_same_payout_posted_again_by_another_route_is_refused(funded_ledger):
    funded_ledger.reserve("r1", "P1", eur(150_000), "plan:a", country="GN")
    funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "mobile_money")
    with pytest.raises(LedgerError):
        funded_ledger.post("p1", "P1", "plan:a", eur(75_000), "cash_pickup")


operations = st.lists(st.tuples(
    st.sampled_from(["reserve", "post", "release", "return_funds", "reinstate"]),
    st.sampled_from(["plan:a", "plan:b", "plan:c"]),
    st.sampled_from(["GN", "SN", None]),
    st.sampled_from(["mobile_money", "cash_pickup", None]),
    st.integers(min_value=1, max_value=400_000)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(operations)
def test_the_reports_by_country_and_by_route_add_up_to_the_programme_balances(steps):
    ledger = BudgetLedger()
    ledger.allocate_budget("alloc", "P1", {"AMIF": eur(3_750_000), "PT": eur(1_250_000)})
    for index, (operation, reference, country, route, cents) in enumerate(steps):
        try:
            if operation == "reserve":
                ledger.reserve(f"op{index}", "P1", eur(cents), reference, country=country)
            else:
                getattr(ledger, operation)(f"op{index}", "P1", reference, eur(cents), route)
        except LedgerError:
            pass
    balance = ledger.balance("P1").overall
    countries, routes = report(ledger)
    for figures in (countries, routes):
        for kind in ("reserved", "paid", "returned"):
            assert sum((getattr(f, kind) for f in figures.values()), eur(0)) == getattr(balance, kind)
    assert all(not f.reserved.is_negative() and not f.paid.is_negative()
               for f in countries.values())
    assert all(f.reserved.is_zero() for r, f in routes.items() if r != NOT_YET_ROUTED)
