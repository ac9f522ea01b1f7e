"""Stores the budget ledger as the domain's module docstring prescribes (payments.domain.ledger).

In one transaction: lock the programme's balance rows, load them and the earmarks of the
references involved, let a `BudgetLedger` run the operations, then insert the new journal
rows and write back only the balances and earmarks that changed.

Locking: on PostgreSQL ``SELECT … FOR UPDATE`` on every balance row of the programme, so two
operations on one programme run one after the other; on SQLite the Store opens every
transaction with ``BEGIN IMMEDIATE``, which serialises writers across processes. Every
operation on a programme takes this same lock first, so earmarks need no lock of their own.

Earmarks are stored one row per (programme, reference, funding source), with the reserved,
paid and returned amounts as columns (migration 0009): a posting moves money between kinds by
updating the row in place, and the ledger finds a programme's references by the key's start.

Report dimensions: each posting row carries its country and route (`payments.domain.ledger`);
an earmark row carries its reference's country, so a later operation on the reference finds
it with the earmarks it loads anyway.
"""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

from reintegra.bulk import in_chunks, insert_many, update_many
from reintegra.money import Money

from payments.adapters.clock import now
from payments.adapters.tables import (budget_balances, budget_earmarks, ledger_operations,
                                      ledger_postings)
from payments.domain.ledger import BudgetLedger
from payments.domain.postings import EARMARKED, Account, AccountKind, Earmark

# The amount columns of an earmark row, one per earmarked kind, in the enum's order.
_EARMARK_KINDS = tuple(kind for kind in AccountKind if kind in EARMARKED)


class LedgerRepository:
    def __init__(self, session):
        self.session = session
        self._loaded_balances: dict[Account, Money] = {}
        self._loaded_earmarks: dict[Earmark, Money] = {}
        self._loaded_rows: set[tuple[str, str, str]] = set()  # (programme, source, reference)

    def stored_operation(self, operation_id: str):
        return self.session.execute(sa.select(ledger_operations).where(
            ledger_operations.c.operation_id == operation_id)).first()

    def load(self, programme_id: str, references: Iterable[str] = ()) -> BudgetLedger:
        """Lock the programme's balances and build a ledger holding them and the earmarks of
        `references`."""
        balance_query = sa.select(budget_balances).where(
            budget_balances.c.programme_id == programme_id)
        balance_query = balance_query.with_for_update()  # SQLite's compiler leaves it out
        balances = {Account(r.programme_id, r.funding_source, AccountKind(r.kind)):
                    Money(r.amount, r.currency)
                    for r in self.session.execute(balance_query)}
        earmarks, countries = self._earmarks(programme_id, set(references))
        self._loaded_balances.update(balances)
        self._loaded_earmarks.update(earmarks)
        return BudgetLedger(balances, earmarks, countries=countries)

    def _earmarks(self, programme_id: str,
                  references: set[str]) -> tuple[dict[Earmark, Money], dict[str, str | None]]:
        found: dict[Earmark, Money] = {}
        countries: dict[str, str | None] = {}
        for chunk in in_chunks(references):
            rows = self.session.execute(sa.select(budget_earmarks).where(
                budget_earmarks.c.programme_id == programme_id,
                budget_earmarks.c.reference.in_(chunk)))
            for r in rows:
                columns = r._mapping
                for kind in _EARMARK_KINDS:
                    # A kind the reference holds nothing of is left out, as if never touched:
                    # the ledger reads a missing earmark as zero.
                    if columns[kind.value]:
                        account = Account(r.programme_id, r.funding_source, kind)
                        found[Earmark(account, r.reference)] = Money(columns[kind.value],
                                                                     r.currency)
                self._loaded_rows.add((r.programme_id, r.funding_source, r.reference))
                countries[r.reference] = countries.get(r.reference) or r.country
        return found, countries

    def save(self, ledger: BudgetLedger, answers: dict[str, tuple[str, dict]]) -> None:
        """Append the ledger's new operations (`answers`: operation id → (request
        fingerprint, answer)) and write back what changed."""
        at = now()
        operations, postings = [], []
        for receipt in ledger.pending:
            transaction = receipt.transaction
            fingerprint, answer = answers[receipt.operation_id]
            operations.append(dict(
                operation_id=receipt.operation_id, request_fingerprint=fingerprint,
                transaction_id=transaction.id, operation=transaction.operation,
                programme_id=transaction.programme_id, reference=transaction.reference,
                answer=answer, created_at=at))
            postings += [dict(
                id=p.id, transaction_id=p.transaction_id, operation_id=receipt.operation_id,
                operation=p.operation, programme_id=p.account.programme_id,
                funding_source=p.account.funding_source, kind=p.account.kind.value,
                reference=p.reference, amount=p.amount.amount, currency=p.amount.currency,
                created_at=at, country=p.country, route=p.route)
                for p in transaction.postings]
        insert_many(self.session, ledger_operations, operations)
        insert_many(self.session, ledger_postings, postings)
        self._write_back(ledger)
        ledger.pending.clear()

    def open_accounts(self, programme_id: str, sources: Iterable[str], currency: str) -> None:
        """Create the zero balance rows of a newly funded programme, so that every later
        operation finds rows to lock (two first reservations must not race to insert).
        Call after `load(programme_id)`, which read (and locked) the rows it has already."""
        existing = {(a.funding_source, a.kind.value) for a in self._loaded_balances
                    if a.programme_id == programme_id}
        missing = [dict(programme_id=programme_id, funding_source=source, kind=kind.value,
                        amount=0, currency=currency)
                   for source in sources for kind in AccountKind
                   if (source, kind.value) not in existing]
        if missing:
            self.session.execute(budget_balances.insert(), missing)
            self._loaded_balances.update({
                Account(programme_id, row["funding_source"], AccountKind(row["kind"])):
                Money(0, currency) for row in missing})

    def record_answer_only(self, operation_id: str, operation: str, programme_id: str,
                           reference: str, fingerprint: str, answer: dict) -> None:
        """An operation that moved nothing (e.g. releasing what is already released) is
        still remembered, so its id keeps answering the same."""
        self.session.execute(ledger_operations.insert().values(
            operation_id=operation_id, request_fingerprint=fingerprint, transaction_id=None,
            operation=operation, programme_id=programme_id, reference=reference,
            answer=answer, created_at=now()))

    def _write_back(self, ledger: BudgetLedger) -> None:
        balance_rows = {
            (a.programme_id, a.funding_source, a.kind.value): (m, a in self._loaded_balances)
            for a, m in ledger.balances.items() if self._loaded_balances.get(a) != m}
        self._upsert(budget_balances, ("programme_id", "funding_source", "kind"), balance_rows)
        self._write_earmarks(ledger)
        self._loaded_balances.update(ledger.balances)
        self._loaded_earmarks.update(ledger.earmarks)

    def _write_earmarks(self, ledger: BudgetLedger) -> None:
        """One row per (programme, funding source, reference) whose earmarks changed, every
        kind's amount in it: updated where it was loaded, inserted where it is new."""
        changed = {(e.account.programme_id, e.account.funding_source, e.reference): m.currency
                   for e, m in ledger.earmarks.items() if self._loaded_earmarks.get(e) != m}
        updates, inserts = [], []
        for (programme_id, source, reference), currency in changed.items():
            row = dict(programme_id=programme_id, funding_source=source, reference=reference)
            for kind in _EARMARK_KINDS:
                held = ledger.earmarks.get(Earmark(Account(programme_id, source, kind), reference))
                row[kind.value] = 0 if held is None else held.amount
            if (programme_id, source, reference) in self._loaded_rows:
                updates.append(row)
            else:
                inserts.append(dict(row, currency=currency,
                                    country=ledger.countries.get(reference)))
        update_many(self.session, budget_earmarks, ("programme_id", "funding_source", "reference"),
                    updates)
        insert_many(self.session, budget_earmarks, inserts)
        self._loaded_rows.update((i["programme_id"], i["funding_source"], i["reference"])
                                 for i in inserts)

    def _upsert(self, table: sa.Table, key: tuple[str, ...], rows: dict) -> None:
        updates = [dict(zip(key, ids), amount=money.amount)
                   for ids, (money, exists) in rows.items() if exists]
        inserts = [dict(zip(key, ids), amount=money.amount, currency=money.currency)
                   for ids, (money, exists) in rows.items() if not exists]
        update_many(self.session, table, key, updates)
        insert_many(self.session, table, inserts)
