"""The programme budget as a double-entry, append-only ledger.

Budget flows between five accounts per (programme, funding source):

    funding ──allocate──▶ available ──reserve──▶ reserved ──post──▶ paid ──return──▶ returned
                              ▲                     │  ▲                                │
                              └──────release────────┘  └───────────reinstate────────────┘

- **reserve** splits a reservation across funding sources in proportion to the budget
  allocated to each (75/25 co-financing stays 75/25), exact to the cent by largest
  remainder; it is refused with `InsufficientBudget` if any source would go below zero.
- **post**, **release**, **return_funds** and **reinstate** move money earmarked for one
  reservation (the `reference`, e.g. a plan's reservation id), split across sources in
  proportion to what that reference holds in the account they draw from.
- **returned** is money that came back from a provider *after* it was posted as paid (a
  reversed transfer found at reconciliation). It stays visible there until finance
  reinstates it into the reservation to pay it again. A payout that simply fails was never
  posted: its money is still reserved and nothing moves.
- Corrections are reversing transactions; nothing is ever updated or deleted.

Every posting carries two report dimensions: the **country** of its reference — fixed by the
reference's first reservation (the case's return country) and inherited by every later
posting of that reference, so the reserved, paid and returned money of one country always
adds up — and the **route** of the payout that moved it (`post`, and the release of a failed
payout's money); a reservation has no route yet.

Every operation carries a caller-supplied operation id and is idempotent: the same id with
the same data returns the first transaction; with different data, `IdempotencyConflict`.
A refused operation records nothing, so it may be retried under the same id later.

Persistence — what the repository must do, in ONE database transaction, so that no
account goes below zero under any concurrency, on PostgreSQL and SQLite alike:
  1. lock the rows the operation can drive down — the programme's `available`
     BudgetAccountBalance rows (one per funding source) and the reference's earmark rows
     (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite begin with ``BEGIN IMMEDIATE``,
     which serialises writers) — and read them with the programme's `funding` rows, whose
     amounts are the shares a reservation is split by;
  2. build ``BudgetLedger(balances, earmarks, receipts=[stored receipt of this op id])``
     and run the operation;
  3. insert ``ledger.pending`` receipts (primary key: operation id — a concurrent duplicate
     fails here and is answered from the stored receipt), their postings, and write back
     the touched ``ledger.balances`` / ``ledger.earmarks`` rows. ``CHECK (… >= 0)`` on
     every amount of an earmark row and ``CHECK (kind <> 'available' OR amount >= 0)`` on
     balance rows are the backstop if a lock is ever missed.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable, Iterable, Mapping

from reintegra.money import CurrencyMismatch, Money

from .budget_report import BudgetBalance, budget_balance
from .events import BudgetReleased, BudgetReserved
from .postings import (EARMARKED, Account, AccountKind, Earmark, OperationReceipt, Posting,
                       Transaction, posting_id_for, split_by_weights, transaction_id_for)


class LedgerError(Exception):
    """A ledger operation was refused; nothing was recorded."""


class UnknownProgramme(LedgerError):
    pass


class InvalidAmount(LedgerError):
    pass


class InsufficientBudget(LedgerError):
    def __init__(self, programme_id: str, requested: Money, available: Money,
                 available_by_source: Mapping[str, Money]):
        super().__init__(f"programme {programme_id}: {requested} requested, {available} available")
        self.programme_id = programme_id
        self.requested = requested
        self.available = available
        self.available_by_source = dict(available_by_source)


class WouldOverdraw(LedgerError):
    """More was asked of a reservation's reserved/paid/returned money than it holds."""

    def __init__(self, kind: AccountKind, reference: str, held: Money):
        super().__init__(f"{reference} holds only {held} {kind.value}")
        self.kind = kind
        self.reference = reference
        self.held = held


class IdempotencyConflict(LedgerError):
    def __init__(self, operation_id: str):
        super().__init__(f"operation {operation_id} was already used with different data")
        self.operation_id = operation_id


class CannotReverse(LedgerError):
    pass


Legs = list[tuple[Account, Money]]


class BudgetLedger:
    def __init__(self, balances: Mapping[Account, Money] | None = None,
                 earmarks: Mapping[Earmark, Money] | None = None,
                 receipts: Iterable[OperationReceipt] = (),
                 countries: Mapping[str, str | None] | None = None):
        """Start from stored balance rows; `receipts` are past operations, known here only
        so that a replayed operation id is answered instead of applied again (and so that
        a transaction can be reversed); `countries` the country of each known reference."""
        self.balances: dict[Account, Money] = dict(balances or {})
        self.earmarks: dict[Earmark, Money] = dict(earmarks or {})
        self.countries: dict[str, str | None] = dict(countries or {})
        self._receipts: dict[str, OperationReceipt] = {}
        self._transactions: dict[str, Transaction] = {}
        self._reversed: set[str] = set()
        self._currencies: dict[str, str] = {}
        self._allocations: dict[str, dict[str, int]] = {}
        for receipt in receipts:
            self._remember(receipt)
        self.pending: list[OperationReceipt] = []
        self.events: list = []

    @classmethod
    def replay(cls, receipts: Iterable[OperationReceipt]) -> "BudgetLedger":
        """Rebuild a ledger from its whole journal, in order."""
        ledger = cls()
        for receipt in receipts:
            ledger._record(receipt)
        ledger.pending.clear()
        ledger.events.clear()
        return ledger

    @property
    def receipts(self) -> list[OperationReceipt]:
        return list(self._receipts.values())

    @property
    def postings(self) -> list[Posting]:
        """The postings of every operation this ledger knows, in order."""
        return [p for r in self._receipts.values() for p in r.transaction.postings]

    # Operations ---------------------------------------------------------------------------

    def allocate_budget(self, operation_id: str, programme_id: str,
                        budget: Mapping[str, Money], reference: str = "allocation") -> Transaction:
        """Add budget to a programme, per funding source (e.g. {"AMIF": …, "PT": …})."""
        data = ("allocate_budget", programme_id, reference, sorted(
            (source, amount.amount, amount.currency) for source, amount in budget.items()))
        return self._once(operation_id, data, lambda: self._allocation(
            operation_id, programme_id, budget, reference))

    def reserve(self, operation_id: str, programme_id: str, amount: Money,
                reference: str, country: str | None = None) -> Transaction:
        """Earmark budget for `reference`, split across funding sources by their shares.

        `country` is the case's return country; it counts only for a reference's first
        reservation (a reference keeps the country it started with)."""
        def reservation() -> Transaction:
            allocated = self._allocated_by_source(programme_id)
            if sum(allocated.values()) <= 0:
                raise self._insufficient_budget(programme_id, amount)
            parts = dict(zip(allocated, split_by_weights(amount, list(allocated.values()))))
            return self._move(operation_id, "reserve", programme_id, reference, parts,
                              AccountKind.AVAILABLE, AccountKind.RESERVED,
                              self.countries.get(reference, country), None)
        return self._earmarked_operation("reserve", operation_id, programme_id, amount,
                                         reference, reservation)

    def post(self, operation_id: str, programme_id: str, reference: str,
             amount: Money, route: str | None = None) -> Transaction:
        """A payout (by `route`) succeeded: its money moves from reserved to paid."""
        return self._draw("post", operation_id, programme_id, reference, amount,
                          AccountKind.RESERVED, AccountKind.PAID, route)

    def release(self, operation_id: str, programme_id: str, reference: str,
                amount: Money, route: str | None = None) -> Transaction:
        """Reserved money goes back to available: a cancelled case, a reduced plan, or
        (with its `route`) a failed payout that finance decided not to pay again.

        A failed payout alone releases nothing: its money stays reserved for the instalment
        until it is re-routed, or the instalment is cancelled or reduced."""
        return self._draw("release", operation_id, programme_id, reference, amount,
                          AccountKind.RESERVED, AccountKind.AVAILABLE, route)

    def return_funds(self, operation_id: str, programme_id: str, reference: str,
                     amount: Money, route: str | None = None) -> Transaction:
        """Money posted as paid (by `route`) came back from the provider."""
        return self._draw("return_funds", operation_id, programme_id, reference, amount,
                          AccountKind.PAID, AccountKind.RETURNED, route)

    def reinstate(self, operation_id: str, programme_id: str, reference: str,
                  amount: Money, route: str | None = None) -> Transaction:
        """Returned money is reserved again for the same reference, to be paid again."""
        return self._draw("reinstate", operation_id, programme_id, reference, amount,
                          AccountKind.RETURNED, AccountKind.RESERVED, route)

    def reverse(self, operation_id: str, transaction_id: str) -> Transaction:
        """A correction: a new transaction with every posting of the original negated."""
        return self._once(operation_id, ("reverse", transaction_id),
                          lambda: self._reversal(operation_id, transaction_id))

    # Queries ------------------------------------------------------------------------------

    def balance(self, programme_id: str) -> BudgetBalance:
        return budget_balance(self.balances, programme_id, self._currency(programme_id))

    def held(self, programme_id: str, reference: str, kind: AccountKind) -> Money:
        """What one reference holds in one kind of account, over all funding sources."""
        return sum(self._held_by_source(programme_id, reference, kind).values(),
                   Money.zero(self._currency(programme_id)))

    # Building transactions ----------------------------------------------------------------

    def _earmarked_operation(self, operation: str, operation_id: str, programme_id: str,
                             amount: Money, reference: str,
                             build: Callable[[], Transaction],
                             route: str | None = None) -> Transaction:
        def checked_build() -> Transaction:
            self._check_amount(amount, self._currency(programme_id))
            return build()
        data = (operation, programme_id, reference, amount.amount, amount.currency, route)
        return self._once(operation_id, data, checked_build)

    def _draw(self, operation: str, operation_id: str, programme_id: str, reference: str,
              amount: Money, from_kind: AccountKind, to_kind: AccountKind,
              route: str | None) -> Transaction:
        def drawing() -> Transaction:
            held = self._held_by_source(programme_id, reference, from_kind)
            total_held = sum(held.values(), Money.zero(amount.currency))
            if amount > total_held:
                raise WouldOverdraw(from_kind, reference, total_held)
            parts = dict(zip(held, split_by_weights(amount, [m.amount for m in held.values()])))
            return self._move(operation_id, operation, programme_id, reference, parts,
                              from_kind, to_kind, self.countries.get(reference), route)
        return self._earmarked_operation(operation, operation_id, programme_id, amount,
                                         reference, drawing, route)

    def _allocation(self, operation_id: str, programme_id: str, budget: Mapping[str, Money],
                    reference: str) -> Transaction:
        if not budget:
            raise InvalidAmount("an allocation needs at least one funding source")
        currency = self._known_currency(programme_id) or next(iter(budget.values())).currency
        legs: Legs = []
        for source, amount in sorted(budget.items()):
            self._check_amount(amount, currency)
            legs += [(Account(programme_id, source, AccountKind.AVAILABLE), amount),
                     (Account(programme_id, source, AccountKind.FUNDING), -amount)]
        return self._transaction(operation_id, "allocate_budget", programme_id, reference, legs)

    def _move(self, operation_id: str, operation: str, programme_id: str, reference: str,
              parts: Mapping[str, Money], from_kind: AccountKind, to_kind: AccountKind,
              country: str | None, route: str | None) -> Transaction:
        legs: Legs = []
        for source, part in parts.items():
            if not part.is_zero():
                legs += [(Account(programme_id, source, from_kind), -part),
                         (Account(programme_id, source, to_kind), part)]
        return self._transaction(operation_id, operation, programme_id, reference, legs,
                                 country=country, route=route)

    def _reversal(self, operation_id: str, transaction_id: str) -> Transaction:
        original = self._transactions.get(transaction_id)
        if original is None:
            raise CannotReverse(f"no transaction {transaction_id}")
        if original.reverses is not None or transaction_id in self._reversed:
            raise CannotReverse(f"transaction {transaction_id} is a reversal or was reversed")
        legs = [(p.account, -p.amount) for p in original.postings]
        first = original.postings[0]
        return self._transaction(operation_id, "reversal", original.programme_id,
                                 original.reference, legs, reverses=transaction_id,
                                 country=first.country, route=first.route)

    def _transaction(self, operation_id: str, operation: str, programme_id: str,
                     reference: str, legs: Legs, reverses: str | None = None,
                     country: str | None = None, route: str | None = None) -> Transaction:
        transaction_id = transaction_id_for(operation_id)
        postings = tuple(
            Posting(posting_id_for(operation_id, index), transaction_id, account, amount,
                    operation, reference, country, route)
            for index, (account, amount) in enumerate(legs))
        transaction = Transaction(transaction_id, operation_id, operation, programme_id,
                                  reference, postings, reverses)
        self._refuse_overdraft(transaction)
        return transaction

    # Checks -------------------------------------------------------------------------------

    def _refuse_overdraft(self, transaction: Transaction) -> None:
        for posting in transaction.postings:
            account, reference = posting.account, transaction.reference
            currency = posting.amount.currency
            if account.kind is AccountKind.AVAILABLE:
                if (self._balance(account, currency) + posting.amount).is_negative():
                    raise self._insufficient_budget(transaction.programme_id,
                                                    _debits(transaction))
            elif account.kind in EARMARKED:
                held = self._earmark(Earmark(account, reference), currency)
                if (held + posting.amount).is_negative():
                    raise WouldOverdraw(account.kind, reference, held)

    def _insufficient_budget(self, programme_id: str, requested: Money) -> InsufficientBudget:
        report = self.balance(programme_id)
        return InsufficientBudget(programme_id, requested, report.overall.available,
                                  {s: b.available for s, b in report.by_source.items()})

    @staticmethod
    def _check_amount(amount: Money, currency: str) -> None:
        if amount.currency != currency:
            raise CurrencyMismatch(f"{amount.currency} and {currency}")
        if amount.amount <= 0:
            raise InvalidAmount(f"amounts must be positive, got {amount}")

    # State --------------------------------------------------------------------------------

    def _once(self, operation_id: str, data: tuple,
              build: Callable[[], Transaction]) -> Transaction:
        fingerprint = _fingerprint(data)
        known = self._receipts.get(operation_id)
        if known is not None:
            if known.fingerprint != fingerprint:
                raise IdempotencyConflict(operation_id)
            return known.transaction
        receipt = OperationReceipt(operation_id, fingerprint, build())
        self._record(receipt)
        return receipt.transaction

    def _record(self, receipt: OperationReceipt) -> None:
        transaction = receipt.transaction
        for posting in transaction.postings:
            account, amount = posting.account, posting.amount
            self.balances[account] = self._balance(account, amount.currency) + amount
            self._currencies[account.programme_id] = amount.currency
            if account.kind is AccountKind.FUNDING:
                self._allocations.pop(account.programme_id, None)
            elif account.kind in EARMARKED:
                earmark = Earmark(account, transaction.reference)
                self.earmarks[earmark] = self._earmark(earmark, amount.currency) + amount
                self.countries.setdefault(transaction.reference, posting.country)
        self._remember(receipt)
        self.pending.append(receipt)
        self.events.extend(_announcements(transaction))

    def _remember(self, receipt: OperationReceipt) -> None:
        transaction = receipt.transaction
        self._receipts[receipt.operation_id] = receipt
        self._transactions[transaction.id] = transaction
        if transaction.reverses is not None:
            self._reversed.add(transaction.reverses)

    def _balance(self, account: Account, currency: str) -> Money:
        found = self.balances.get(account)
        return Money.zero(currency) if found is None else found

    def _earmark(self, earmark: Earmark, currency: str) -> Money:
        found = self.earmarks.get(earmark)
        return Money.zero(currency) if found is None else found

    def _held_by_source(self, programme_id: str, reference: str,
                        kind: AccountKind) -> dict[str, Money]:
        held = {}
        for source in self._allocated_by_source(programme_id):
            found = self.earmarks.get(Earmark(Account(programme_id, source, kind), reference))
            if found is not None:
                held[source] = found
        return held

    def _allocated_by_source(self, programme_id: str) -> dict[str, int]:
        # Asked for every operation; it changes only when budget is allocated (below, in
        # _record), so it is kept per programme rather than re-sorted from every balance.
        allocated = self._allocations.get(programme_id)
        if allocated is None:
            allocated = self._allocations[programme_id] = {
                a.funding_source: -m.amount for a, m in sorted(
                    self.balances.items(), key=lambda item: item[0].funding_source)
                if a.programme_id == programme_id and a.kind is AccountKind.FUNDING}
        return allocated

    def _known_currency(self, programme_id: str) -> str | None:
        if programme_id not in self._currencies:
            self._currencies.update({a.programme_id: m.currency for a, m in self.balances.items()})
        return self._currencies.get(programme_id)

    def _currency(self, programme_id: str) -> str:
        currency = self._known_currency(programme_id)
        if currency is None:
            raise UnknownProgramme(programme_id)
        return currency


def _fingerprint(data: tuple) -> str:
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def _debits(transaction: Transaction) -> Money:
    return sum((p.amount for p in transaction.postings if p.amount.amount > 0),
               Money.zero(transaction.postings[0].amount.currency))


def _announcements(transaction: Transaction) -> list:
    """The events a first-time transaction announces (replays announce nothing)."""
    announce = {"reserve": BudgetReserved, "release": BudgetReleased}.get(transaction.operation)
    if announce is None:
        return []
    return [announce(reservation_id=transaction.reference,
                     programme_id=transaction.programme_id, amount=_debits(transaction))]
