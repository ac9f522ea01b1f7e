from reintegra.money import Money

from payments.domain.budget_report import (account_balances, available_never_negative,
                                           budget_balance, debits_equal_credits)
from payments.domain.postings import Account, AccountKind, Posting


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def posting(transaction_id: str, kind: AccountKind, cents: int, source: str = "AMIF") -> Posting:
    return Posting(f"{transaction_id}-{kind.value}", transaction_id,
                   Account("P1", source, kind), eur(cents), "test", "plan-1")


def test_balanced_transactions_have_debits_equal_to_credits():
    assert debits_equal_credits([posting("t1", AccountKind.AVAILABLE, 500),
                                 posting("t1", AccountKind.FUNDING, -500)])


def test_a_transaction_missing_one_cent_does_not_balance_even_if_another_makes_up_for_it():
    assert not debits_equal_credits([posting("t1", AccountKind.AVAILABLE, 500),
                                     posting("t1", AccountKind.FUNDING, -499),
                                     posting("t2", AccountKind.FUNDING, -1)])


def test_available_may_dip_inside_a_transaction_but_not_after_it():
    within = [posting("t1", AccountKind.AVAILABLE, -100), posting("t1", AccountKind.AVAILABLE, 100)]
    assert available_never_negative(within)
    after = [posting("t1", AccountKind.AVAILABLE, 100), posting("t2", AccountKind.AVAILABLE, -101),
             posting("t3", AccountKind.AVAILABLE, 1)]
    assert not available_never_negative(after)


def test_available_is_checked_per_funding_source():
    postings = [posting("t1", AccountKind.AVAILABLE, 100, "AMIF"),
                posting("t1", AccountKind.AVAILABLE, -1, "PT")]
    assert not available_never_negative(postings)


def test_a_programme_without_postings_reports_zeros():
    report = budget_balance(account_balances([]), "P1", "EUR")
    assert report.overall.total == report.overall.available == eur(0)
    assert report.by_source == {}


def test_the_report_ignores_other_programmes():
    other = Posting("x", "t9", Account("P2", "AMIF", AccountKind.AVAILABLE), eur(7), "test", "r")
    report = budget_balance(account_balances([posting("t1", AccountKind.FUNDING, -5), other]),
                            "P1", "EUR")
    assert report.overall.total == eur(5)
    assert report.overall.available == eur(0)
