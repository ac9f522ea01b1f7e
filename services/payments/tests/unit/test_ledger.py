import pytest
from reintegra.money import CurrencyMismatch, Money

from payments.domain.budget_report import (account_balances, available_never_negative,
                                           budget_balance, debits_equal_credits)
from payments.domain.events import BudgetReleased, BudgetReserved
from payments.domain.ledger import (BudgetLedger, CannotReverse, IdempotencyConflict,
                                    InsufficientBudget, InvalidAmount, UnknownProgramme,
                                    WouldOverdraw)
from payments.domain.postings import AccountKind


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def legs(transaction):
    return {(p.account.funding_source, p.account.kind.value): p.amount.amount
            for p in transaction.postings}


def available(ledger, source=None):
    report = ledger.balance("P1")
    return (report.by_source[source] if source else report.overall).available


# Allocation ---------------------------------------------------------------------------------

def test_allocated_budget_is_available_per_funding_source(funded_ledger):
    report = funded_ledger.balance("P1")
    assert report.overall.total == report.overall.available == eur(5_000_000)
    assert report.by_source["AMIF"].available == eur(3_750_000)
    assert report.by_source["PT"].available == eur(1_250_000)


def test_an_allocation_is_balanced_by_the_funding_account(funded_ledger):
    assert debits_equal_credits(funded_ledger.postings)
    funding = {p.account.funding_source: p.amount for p in funded_ledger.postings
               if p.account.kind is AccountKind.FUNDING}
    assert funding == {"AMIF": eur(-3_750_000), "PT": eur(-1_250_000)}


def test_a_programme_keeps_the_currency_of_its_first_allocation(funded_ledger):
    with pytest.raises(CurrencyMismatch):
        funded_ledger.allocate_budget("alloc-2", "P1", {"PT": Money(100, "USD")})


def test_an_allocation_needs_a_funding_source_and_positive_amounts(funded_ledger):
    with pytest.raises(InvalidAmount):
        funded_ledger.allocate_budget("alloc-2", "P1", {})
    with pytest.raises(InvalidAmount):
        funded_ledger.allocate_budget("alloc-3", "P1", {"PT": eur(0)})


# Reservation --------------------------------------------------------------------------------

def test_a_reservation_is_split_75_25_by_the_funding_shares_to_the_cent(funded_ledger):
    transaction = funded_ledger.reserve("res-1", "P1", eur(200_001), "plan-1")
    assert legs(transaction) == {("AMIF", "available"): -150_001, ("AMIF", "reserved"): 150_001,
                                 ("PT", "available"): -50_000, ("PT", "reserved"): 50_000}
    assert funded_ledger.held("P1", "plan-1", AccountKind.RESERVED) == eur(200_001)


def test_refuses_a_reservation_one_cent_over_the_available_budget(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(4_000_000), "plan-1")
    with pytest.raises(InsufficientBudget) as refusal:
        funded_ledger.reserve("res-2", "P1", eur(1_000_001), "plan-2")
    assert refusal.value.available == eur(1_000_000)
    assert refusal.value.available_by_source == {"AMIF": eur(750_000), "PT": eur(250_000)}
    assert available(funded_ledger) == eur(1_000_000)
    assert funded_ledger.reserve("res-2", "P1", eur(1_000_000), "plan-2")


def test_refuses_a_reservation_that_one_funding_source_cannot_cover(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(4_800_000), "plan-1")
    funded_ledger.allocate_budget("alloc-2", "P1", {"AMIF": eur(2_000_000)})
    # PT now funds 12,500 of 70,000 allocated: EUR 535.71 of a EUR 3,000 reservation, but
    # only EUR 500 of it is left, although the programme has EUR 22,000 available.
    assert available(funded_ledger, "PT") == eur(50_000)
    with pytest.raises(InsufficientBudget) as refusal:
        funded_ledger.reserve("res-2", "P1", eur(300_000), "plan-2")
    assert refusal.value.available == eur(2_200_000)
    assert available(funded_ledger, "PT") == eur(50_000)


def test_an_unknown_programme_has_no_budget(funded_ledger):
    with pytest.raises(UnknownProgramme):
        funded_ledger.reserve("res-1", "P2", eur(100), "plan-1")


def test_refuses_a_reservation_in_another_currency(funded_ledger):
    with pytest.raises(CurrencyMismatch):
        funded_ledger.reserve("res-1", "P1", Money(100, "USD"), "plan-1")


@pytest.mark.parametrize("cents", [0, -1])
def test_refuses_a_reservation_of_nothing_or_less(funded_ledger, cents):
    with pytest.raises(InvalidAmount):
        funded_ledger.reserve("res-1", "P1", eur(cents), "plan-1")


# Idempotency --------------------------------------------------------------------------------

def test_replaying_an_operation_returns_the_first_transaction_and_moves_nothing(funded_ledger):
    first = funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    again = funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    assert again == first
    assert available(funded_ledger) == eur(4_800_000)
    assert len(funded_ledger.pending) == 2


def test_reusing_an_operation_id_with_different_data_is_a_conflict(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    with pytest.raises(IdempotencyConflict):
        funded_ledger.reserve("res-1", "P1", eur(200_001), "plan-1")
    with pytest.raises(IdempotencyConflict):
        funded_ledger.release("res-1", "P1", "plan-1", eur(200_000))


def test_a_refused_operation_records_nothing_and_may_be_retried_under_the_same_id(funded_ledger):
    with pytest.raises(InsufficientBudget):
        funded_ledger.reserve("res-1", "P1", eur(6_000_000), "plan-1")
    funded_ledger.allocate_budget("alloc-2", "P1", {"AMIF": eur(750_000), "PT": eur(250_000)})
    assert funded_ledger.reserve("res-1", "P1", eur(6_000_000), "plan-1")
    assert available(funded_ledger) == eur(0)


def test_transaction_ids_depend_only_on_the_operation_id(funded_ledger):
    other = BudgetLedger()
    other.allocate_budget("alloc-1", "P1", {"AMIF": eur(3_750_000), "PT": eur(1_250_000)})
    mine = funded_ledger.reserve("res-1", "P1", eur(100), "plan-1")
    theirs = other.reserve("res-1", "P1", eur(100), "plan-1")
    assert mine.id == theirs.id
    assert [p.id for p in mine.postings] == [p.id for p in theirs.postings]


# Posting, release, returns ------------------------------------------------------------------

def test_a_successful_payout_moves_reserved_money_to_paid_in_the_same_shares(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    transaction = funded_ledger.post("post-1", "P1", "plan-1", eur(100_001))
    assert legs(transaction) == {("AMIF", "reserved"): -75_001, ("AMIF", "paid"): 75_001,
                                 ("PT", "reserved"): -25_000, ("PT", "paid"): 25_000}
    report = funded_ledger.balance("P1").overall
    assert (report.reserved, report.paid) == (eur(99_999), eur(100_001))


def test_cannot_post_more_than_the_reservation_holds(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    with pytest.raises(WouldOverdraw) as refusal:
        funded_ledger.post("post-1", "P1", "plan-1", eur(200_001))
    assert refusal.value.held == eur(200_000)
    assert refusal.value.kind is AccountKind.RESERVED


def test_cannot_release_the_money_of_another_reservation(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    with pytest.raises(WouldOverdraw):
        funded_ledger.release("rel-1", "P1", "plan-2", eur(1))


def test_releasing_a_reservation_makes_its_money_available_again(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    funded_ledger.release("rel-1", "P1", "plan-1", eur(50_000))
    assert available(funded_ledger) == eur(4_850_000)
    assert funded_ledger.held("P1", "plan-1", AccountKind.RESERVED) == eur(150_000)


def test_money_returned_after_payment_is_kept_apart_until_reinstated(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    funded_ledger.post("post-1", "P1", "plan-1", eur(100_000))
    funded_ledger.return_funds("ret-1", "P1", "plan-1", eur(100_000))
    report = funded_ledger.balance("P1").overall
    assert (report.paid, report.returned, report.reserved) == (eur(0), eur(100_000), eur(100_000))
    funded_ledger.reinstate("reinstate-1", "P1", "plan-1", eur(100_000))
    assert funded_ledger.held("P1", "plan-1", AccountKind.RESERVED) == eur(200_000)
    with pytest.raises(WouldOverdraw):
        funded_ledger.return_funds("ret-2", "P1", "plan-1", eur(1))


# Corrections --------------------------------------------------------------------------------

def test_a_correction_is_a_new_transaction_negating_the_original(funded_ledger):
    original = funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    reversal = funded_ledger.reverse("fix-1", original.id)
    assert reversal.reverses == original.id
    assert legs(reversal) == {key: -amount for key, amount in legs(original).items()}
    assert available(funded_ledger) == eur(5_000_000)
    assert len(funded_ledger.postings) == 12


def test_a_transaction_is_reversed_at_most_once_and_a_reversal_never(funded_ledger):
    original = funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    reversal = funded_ledger.reverse("fix-1", original.id)
    with pytest.raises(CannotReverse):
        funded_ledger.reverse("fix-2", original.id)
    with pytest.raises(CannotReverse):
        funded_ledger.reverse("fix-3", reversal.id)
    with pytest.raises(CannotReverse):
        funded_ledger.reverse("fix-4", "no-such-transaction")


def test_a_correction_that_would_overdraw_available_budget_is_refused(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    allocation = funded_ledger.receipts[0].transaction
    with pytest.raises(InsufficientBudget):
        funded_ledger.reverse("fix-1", allocation.id)


# Events -------------------------------------------------------------------------------------

def test_reserve_and_release_are_announced_once_whatever_the_replays(funded_ledger):
    for _ in range(3):
        funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
        funded_ledger.release("rel-1", "P1", "plan-1", eur(50_000))
    funded_ledger.post("post-1", "P1", "plan-1", eur(1))
    assert funded_ledger.events == [BudgetReserved("plan-1", "P1", eur(200_000)),
                                    BudgetReleased("plan-1", "P1", eur(50_000))]


# Reports and persistence --------------------------------------------------------------------

def test_the_report_from_postings_alone_matches_the_running_balances(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_001), "plan-1")
    funded_ledger.post("post-1", "P1", "plan-1", eur(100_001))
    funded_ledger.return_funds("ret-1", "P1", "plan-1", eur(3))
    from_postings = budget_balance(account_balances(funded_ledger.postings), "P1", "EUR")
    assert from_postings == funded_ledger.balance("P1")
    for figures in [from_postings.overall, *from_postings.by_source.values()]:
        parts = figures.available + figures.reserved + figures.paid + figures.returned
        assert figures.total == parts


def test_a_ledger_rebuilt_from_its_journal_has_the_same_balances(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(200_001), "plan-1")
    funded_ledger.post("post-1", "P1", "plan-1", eur(100_001))
    rebuilt = BudgetLedger.replay(funded_ledger.receipts)
    assert rebuilt.balances == funded_ledger.balances
    assert rebuilt.earmarks == funded_ledger.earmarks
    assert rebuilt.pending == [] and rebuilt.events == []


def test_a_ledger_resumed_from_balance_rows_answers_a_stored_operation_once(funded_ledger):
    stored = funded_ledger.reserve("res-1", "P1", eur(200_000), "plan-1")
    resumed = BudgetLedger(funded_ledger.balances, funded_ledger.earmarks,
                           receipts=[funded_ledger.receipts[-1]])
    assert resumed.reserve("res-1", "P1", eur(200_000), "plan-1") == stored
    assert resumed.pending == []
    resumed.post("post-1", "P1", "plan-1", eur(200_000))
    assert [r.operation_id for r in resumed.pending] == ["post-1"]
    assert resumed.balance("P1").overall.paid == eur(200_000)


def test_every_operation_keeps_the_ledger_balanced_and_available_non_negative(funded_ledger):
    funded_ledger.reserve("res-1", "P1", eur(5_000_000), "plan-1")
    funded_ledger.post("post-1", "P1", "plan-1", eur(1_000_000))
    funded_ledger.release("rel-1", "P1", "plan-1", eur(4_000_000))
    assert debits_equal_credits(funded_ledger.postings)
    assert available_never_negative(funded_ledger.postings)
