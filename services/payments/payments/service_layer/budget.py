"""Budget commands: allocate (from intake's programmes), reserve and release (called by plans),
and the balance report. Each is idempotent on its caller-supplied operation id.

Idempotency is kept at the level of the *request*: the first answer is stored with a digest
of the request, so the same id with the same request gets the same answer even when the
request means "everything still reserved", whose amount changes over time.
"""
from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from reintegra.contracts.errors import Conflict, InvalidInput, NotFound
from reintegra.money import CurrencyMismatch, Money, minor_unit_exponent

from payments.adapters.ledger_repository import LedgerRepository
from payments.adapters.tables import budget_balances, ledger_postings, payouts, programmes
from payments.domain.budget_report import budget_balance, by_country, by_route
from payments.domain.ledger import (IdempotencyConflict, InsufficientBudget, InvalidAmount,
                                    UnknownProgramme, WouldOverdraw)
from payments.domain.payouts import FINAL, PayoutStatus
from payments.domain.postings import EARMARKED, Account, AccountKind
from payments.service_layer.payout_method import return_country

# Payouts still on their way with their money (held for review included): not yet paid,
# failed or returned, so their share of a reservation is not free to release.
IN_FLIGHT = tuple(status.value for status in PayoutStatus if status not in FINAL)


def money_from(value, field: str = "amount") -> Money:
    try:
        return Money(value["amount"], value["currency"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(f"{field} must be {{amount: integer minor units, currency}}",
                           fields={field: ["must be {amount, currency}"]}) from None


def fingerprint(*request) -> str:
    return hashlib.sha256(json.dumps(request, default=str, sort_keys=True).encode()).hexdigest()


def allocate_budget(uow, programme_id: str, budget: dict[str, Money]) -> None:
    """A programme's budget by funding source, once per programme (intake's event)."""
    operation_id = f"programme:{programme_id}:allocate"
    repository = LedgerRepository(uow.session)
    if repository.stored_operation(operation_id) is not None:
        return
    ledger = repository.load(programme_id)
    ledger.allocate_budget(operation_id, programme_id, budget)
    currency = next(iter(budget.values())).currency
    repository.open_accounts(programme_id, budget, currency)
    repository.save(ledger, {operation_id: (fingerprint("allocate", programme_id),
                                            {"programme_id": programme_id})})


def reserve_budget(uow, operation_id: str, programme_id: str, reference: str, amount: Money,
                   case_id: str | None = None) -> dict:
    request = fingerprint("reserve", programme_id, reference, amount.to_dict())
    repository, ledger, stored = _opened(uow, operation_id, programme_id, reference, request)
    if stored is not None:
        return stored
    with _ledger_errors():
        transaction = ledger.reserve(operation_id, programme_id, amount, reference,
                                     _return_country(uow.session, case_id))
    by_source = [{"code": p.account.funding_source, "amount": p.amount.to_dict()}
                 for p in transaction.postings if p.account.kind is AccountKind.RESERVED]
    answer = {"operation_id": operation_id, "reference": reference, "amount": amount.to_dict(),
              "case_id": case_id, "by_funding_source": by_source,
              "available": ledger.balance(programme_id).overall.available.to_dict()}
    _save_and_announce(uow, repository, ledger, {operation_id: (request, answer)})
    return answer


def release_budget(uow, operation_id: str, programme_id: str, reference: str,
                   amount: Money | None) -> dict:
    """Release `amount`, or (None) everything the reference holds reserved that no payout
    is on its way with."""
    request = fingerprint("release", programme_id, reference, amount and amount.to_dict())
    repository, ledger, stored = _opened(uow, operation_id, programme_id, reference, request)
    if stored is not None:
        return stored
    with _ledger_errors():
        reserved = ledger.held(programme_id, reference, AccountKind.RESERVED)
        to_release = amount if amount is not None else reserved - _in_flight(
            uow.session, reference, reserved.currency)
        if to_release.amount > 0 or amount is not None:
            ledger.release(operation_id, programme_id, reference, to_release)
    answer = {"operation_id": operation_id, "reference": reference,
              "released": to_release.to_dict(),
              "still_reserved": ledger.held(programme_id, reference,
                                            AccountKind.RESERVED).to_dict()}
    if ledger.pending:
        _save_and_announce(uow, repository, ledger, {operation_id: (request, answer)})
    else:
        repository.record_answer_only(operation_id, "release", programme_id, reference,
                                      request, answer)
    return answer


def release_unpaid(uow, operation_id: str, programme_id: str, reference: str,
                   amount: Money, route: str | None = None) -> Money:
    """Release up to `amount` of what a reference still holds reserved (cancellations, a
    failed payout's money finance gives back — with its `route`): what plans has already
    released itself is not released twice."""
    repository = LedgerRepository(uow.session)
    ledger = repository.load(programme_id, [reference])
    if repository.stored_operation(operation_id) is not None:
        return Money.zero(amount.currency)
    free = ledger.held(programme_id, reference, AccountKind.RESERVED) - _in_flight(
        uow.session, reference, amount.currency)
    to_release = min(amount, free, key=lambda m: m.amount)
    if to_release.amount <= 0:
        return Money.zero(amount.currency)
    ledger.release(operation_id, programme_id, reference, to_release, route)
    answer = {"operation_id": operation_id, "reference": reference,
              "released": to_release.to_dict()}
    _save_and_announce(uow, repository, ledger, {operation_id: (operation_id, answer)})
    return to_release


def get_budget(session, programme_id: str) -> dict:
    currency = session.execute(sa.select(programmes.c.currency).where(
        programmes.c.id == programme_id)).scalar()
    rows = session.execute(sa.select(budget_balances).where(
        budget_balances.c.programme_id == programme_id)).all()
    if currency is None and not rows:
        raise NotFound(f"no programme {programme_id}")
    currency = currency or rows[0].currency
    balance = budget_balance({Account(r.programme_id, r.funding_source, AccountKind(r.kind)):
                              Money(r.amount, r.currency) for r in rows}, programme_id, currency)
    return {"programme_id": programme_id, "currency": currency, **_figures(balance.overall),
            "by_funding_source": [{"code": code, **_figures(figures)}
                                  for code, figures in balance.by_source.items()]}


def budget_report(session, programme_id: str) -> dict:
    """`get_budget` and, summed from the postings, the money by return country and by
    payout route (reserved money under `not_yet_routed`)."""
    report = get_budget(session, programme_id)
    currency = report["currency"]
    kind = ledger_postings.c.kind
    sums = [(AccountKind(row.kind), row.country, row.route, Money(int(row.amount), currency))
            for row in session.execute(
                sa.select(kind, ledger_postings.c.country, ledger_postings.c.route,
                          sa.func.sum(ledger_postings.c.amount).label("amount"))
                .where(ledger_postings.c.programme_id == programme_id,
                       kind.in_([k.value for k in EARMARKED]))
                .group_by(kind, ledger_postings.c.country, ledger_postings.c.route))]
    return {**report,
            "by_country": [{"country": country, **_earmarked(figures)}
                           for country, figures in by_country(sums, currency).items()],
            "by_route": [{"route": route, **_earmarked(figures)}
                         for route, figures in by_route(sums, currency).items()]}


def _earmarked(figures) -> dict:
    return {name: getattr(figures, name).to_dict() for name in ("reserved", "paid", "returned")}


def _return_country(session, case_id: str | None) -> str | None:
    return None if case_id is None else return_country(session, case_id)


def _figures(balance) -> dict:
    return {name: getattr(balance, name).to_dict()
            for name in ("total", "reserved", "paid", "returned", "available")}


def _in_flight(session, reference: str, currency: str) -> Money:
    total = session.execute(sa.select(sa.func.coalesce(sa.func.sum(payouts.c.amount), 0)).where(
        payouts.c.reservation_id == reference, payouts.c.status.in_(IN_FLIGHT))).scalar_one()
    return Money(int(total), currency)


def _opened(uow, operation_id: str, programme_id: str, reference: str, request: str):
    """The repository, the programme's ledger (locked) with `reference`'s earmarks, and the
    answer `operation_id` already gave (None the first time)."""
    repository = LedgerRepository(uow.session)
    ledger = repository.load(programme_id, [reference])
    return repository, ledger, _stored_answer(repository, operation_id, request)


def _stored_answer(repository: LedgerRepository, operation_id: str, request: str) -> dict | None:
    stored = repository.stored_operation(operation_id)
    if stored is None:
        return None
    if stored.request_fingerprint != request:
        raise Conflict(f"operation {operation_id} was already used with different data")
    return stored.answer


def _save_and_announce(uow, repository: LedgerRepository, ledger, answers: dict) -> None:
    for event in ledger.events:
        uow.publish(event.name, event.payload())
    ledger.events.clear()
    repository.save(ledger, answers)


class _ledger_errors:
    """Turns the ledger's refusals into the API's errors (nothing was recorded)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if error is None:
            return False
        if isinstance(error, InsufficientBudget):
            raise Conflict(
                f"not enough budget: {_show(error.requested)} requested, "
                f"{_show(error.available)} available",
                details={"available": error.available.to_dict(),
                         "available_by_funding_source": {
                             s: m.to_dict() for s, m in error.available_by_source.items()}}
            ) from None
        if isinstance(error, WouldOverdraw):
            raise Conflict(str(error), details={"held": error.held.to_dict()}) from None
        if isinstance(error, IdempotencyConflict):
            raise Conflict(str(error)) from None
        if isinstance(error, UnknownProgramme):
            raise NotFound(f"no budget for programme {error}") from None
        if isinstance(error, (InvalidAmount, CurrencyMismatch)):
            raise InvalidInput(str(error), fields={"amount": [str(error)]}) from None
        return False


def _show(money: Money) -> str:
    exponent = minor_unit_exponent(money.currency)
    whole, cents = divmod(money.amount, 10 ** exponent)
    return f"{money.currency} {whole:,}" + (f".{cents:0{exponent}d}" if exponent else "")
