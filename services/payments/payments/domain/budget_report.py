"""Budget figures and ledger invariants, folded from postings alone.

These functions are the specification of the reporting queries: a SQL report over the
postings table must give the same numbers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from reintegra.money import Money

from .postings import EARMARKED, Account, AccountKind, Posting

# Where reserved money shows in the report by route: it is not with any payout yet.
NOT_YET_ROUTED = "not_yet_routed"


@dataclass(frozen=True)
class SourceBalance:
    """Total allocated and where it is now, for one funding source (or a whole programme).

    total == available + reserved + paid + returned always holds.
    """
    total: Money
    available: Money
    reserved: Money
    paid: Money
    returned: Money


@dataclass(frozen=True)
class BudgetBalance:
    programme_id: str
    overall: SourceBalance
    by_source: Mapping[str, SourceBalance]


def account_balances(postings: Iterable[Posting]) -> dict[Account, Money]:
    sums: dict[Account, Money] = {}
    for posting in postings:
        previous = sums.get(posting.account, Money.zero(posting.amount.currency))
        sums[posting.account] = previous + posting.amount
    return sums


def source_balance(balances: Mapping[AccountKind, Money], currency: str) -> SourceBalance:
    def of(kind: AccountKind) -> Money:
        return balances.get(kind, Money.zero(currency))
    # The funding account is credit-normal: minus its balance is what was allocated.
    return SourceBalance(total=-of(AccountKind.FUNDING), available=of(AccountKind.AVAILABLE),
                         reserved=of(AccountKind.RESERVED), paid=of(AccountKind.PAID),
                         returned=of(AccountKind.RETURNED))


def budget_balance(balances: Mapping[Account, Money], programme_id: str,
                   currency: str) -> BudgetBalance:
    """The report for one programme, from account balances (see `account_balances`)."""
    by_source: dict[str, dict[AccountKind, Money]] = defaultdict(dict)
    overall: dict[AccountKind, Money] = {}
    for account, amount in balances.items():
        if account.programme_id == programme_id:
            by_source[account.funding_source][account.kind] = amount
            overall[account.kind] = overall.get(account.kind, Money.zero(currency)) + amount
    return BudgetBalance(
        programme_id=programme_id,
        overall=source_balance(overall, currency),
        by_source={source: source_balance(kinds, currency)
                   for source, kinds in sorted(by_source.items())})


@dataclass(frozen=True)
class EarmarkedFigures:
    """The money committed to people in one country, or gone by one route. Budget is
    allocated per programme and funding source, not per country or route, so `total` and
    `available` have no meaning here."""
    reserved: Money
    paid: Money
    returned: Money


# One line of a report query: the sum of a kind's postings for one country and route.
DimensionSum = tuple[AccountKind, "str | None", "str | None", Money]


def dimension_sums(postings: Iterable[Posting]) -> list[DimensionSum]:
    """Postings of the earmarked accounts, summed by (kind, country, route) — what
    ``SELECT kind, country, route, sum(amount) … GROUP BY …`` gives."""
    sums: dict[tuple, Money] = {}
    for posting in postings:
        if posting.account.kind in EARMARKED:
            key = (posting.account.kind, posting.country, posting.route)
            sums[key] = sums.get(key, Money.zero(posting.amount.currency)) + posting.amount
    return [(kind, country, route, amount) for (kind, country, route), amount in sums.items()]


def by_country(sums: Iterable[DimensionSum], currency: str) -> dict[str | None, EarmarkedFigures]:
    """Reserved, paid and returned money per return country (None: not known)."""
    return _fold(((country, kind, amount) for kind, country, _route, amount in sums), currency)


def by_route(sums: Iterable[DimensionSum], currency: str) -> dict[str, EarmarkedFigures]:
    """Paid and returned money per payout route; reserved money is `NOT_YET_ROUTED`
    (whatever route a posting drew it by, what is left reserved is with no payout)."""
    return _fold((((route or NOT_YET_ROUTED) if kind is not AccountKind.RESERVED
                   else NOT_YET_ROUTED, kind, amount)
                  for kind, _country, route, amount in sums), currency)


def _fold(lines, currency: str) -> dict:
    grouped: dict = defaultdict(dict)
    for key, kind, amount in lines:
        grouped[key][kind] = grouped[key].get(kind, Money.zero(currency)) + amount

    def figures(kinds: Mapping[AccountKind, Money]) -> EarmarkedFigures:
        zero = Money.zero(currency)
        return EarmarkedFigures(kinds.get(AccountKind.RESERVED, zero),
                                kinds.get(AccountKind.PAID, zero),
                                kinds.get(AccountKind.RETURNED, zero))
    return {key: figures(kinds) for key, kinds in sorted(
        grouped.items(), key=lambda item: (item[0] is None, item[0] or ""))}


def debits_equal_credits(postings: Iterable[Posting]) -> bool:
    """Every transaction's postings sum to zero, currency by currency."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for posting in postings:
        sums[posting.transaction_id, posting.amount.currency] += posting.amount.amount
    return all(total == 0 for total in sums.values())


def available_never_negative(postings: Iterable[Posting]) -> bool:
    """No `available` account was below zero after any transaction, in posting order.

    Checked at transaction boundaries: inside one transaction the order of legs is
    immaterial, only its committed outcome counts.
    """
    running: dict[Account, int] = defaultdict(int)
    current_transaction = None
    for posting in postings:
        if posting.transaction_id != current_transaction and _any_negative(running):
            return False
        current_transaction = posting.transaction_id
        if posting.account.kind is AccountKind.AVAILABLE:
            running[posting.account] += posting.amount.amount
    return not _any_negative(running)


def _any_negative(running: Mapping[Account, int]) -> bool:
    return any(amount < 0 for amount in running.values())
