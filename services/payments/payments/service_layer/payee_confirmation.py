"""Confirming the payee before paying, and the review of payouts held because of it.

Before the runner asks a provider to pay, each claimed payout whose route can look up the
account holder's name (a Stripe recipient's bank account, a mobile-money KYC lookup) has that
name compared with the payee's (`payees.confirm_payee`: tolerant of accents and order). A
mismatch holds the payout (`held`, out of the runner's reach: it sweeps only released ones)
and records a hold with both names; nothing is sent to the provider.

A supervisor who did not prepare the payout's batch then reviews it:
- **release**: the payout is released again, the runner's sweeper pays it with its own key,
  and it is not checked again;
- **reject**: the payout fails with `account_holder_mismatch` through the runner's record
  step, so its instalment is due again and its money stays reserved.

The names are personal data: they stay in the hold, never in an event, a log or a metric.
"""
from __future__ import annotations

import uuid

from reintegra.concurrency import each_at_once
from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound

from payments.adapters.payout_repository import PayoutRepository, StoredPayout, now
from payments.adapters.provider_event_repository import HoldRepository
from payments.domain.payees import SUPERVISOR, Decision, HoldAlreadyDecided, PayoutHold, confirm_payee
from payments.domain.payouts import PayoutStatus
from payments.service_layer.payout_route import (FAILED, Payee, PayoutOrder, PayoutRoute,
                                                 ProviderReport, RouteUnavailable)

MISMATCH = "account_holder_mismatch"
Claimed = list[tuple[StoredPayout, PayoutOrder]]


def confirm_payees(db, routes: dict[str, PayoutRoute], claimed: Claimed) -> tuple[Claimed, dict]:
    """(the claimed payouts that may be sent, {payout id: RouteUnavailable} for those whose
    lookup could not be made: retried later); the rest are now held."""
    # Only payouts whose payout method names the holder can be checked; most chunks of a
    # route without a lookup cost nothing here.
    checkable = {p.id for p, order in claimed if p.route in routes and _payee_name(order)}
    if not checkable:
        return claimed, {}
    with db.unit_of_work() as uow:
        reviewed = HoldRepository(uow.session).released_for(checkable)
    holders = _holders(routes, [(payout, order) for payout, order in claimed
                                if payout.id in checkable and payout.id not in reviewed])
    to_send, unavailable, mismatches = [], {}, {}
    for payout, order in claimed:
        if payout.id not in holders:
            to_send.append((payout, order))
            continue
        holder, payee_name = holders[payout.id], _payee_name(order)
        if isinstance(holder, RouteUnavailable):
            unavailable[payout.id] = holder
            continue
        if confirm_payee(holder, payee_name).decision is Decision.HOLD_FOR_REVIEW:
            mismatches[payout.id] = PayoutHold(payout.id, holder or "", payee_name, now())
        else:
            to_send.append((payout, order))
    if mismatches:
        _hold(db, mismatches)
    return to_send, unavailable


def _holders(routes: dict[str, PayoutRoute], to_check: Claimed) -> dict:
    """{payout id: the holder's name at the provider (None: it has none), or the
    `RouteUnavailable` that kept it from saying}. One look-up per payee and route, each
    route's `calls_at_once` at a time: a chunk of 500 names asked one after another would
    wait for 500 answers in turn."""
    payees: dict[tuple[str, str], Payee] = {}
    for payout, order in to_check:
        payees.setdefault((payout.route, order.payee.id), order.payee)
    names: dict[tuple[str, str], object] = {}
    for route_name, route in routes.items():
        keys = [key for key in payees if key[0] == route_name]
        names.update(zip(keys, each_at_once(lambda key, route=route: _holder_name(
            route, payees[key]), keys, route.calls_at_once)))
    return {payout.id: names[payout.route, order.payee.id] for payout, order in to_check}


def _holder_name(route: PayoutRoute, payee: Payee):
    try:
        return route.account_holder_name(payee)
    except RouteUnavailable as lost:
        return lost


def _payee_name(order: PayoutOrder | None) -> str:
    """Whom the payout method names as the account's holder; empty: nothing to compare."""
    if order is None:
        return ""
    return (order.payee.details.get("account_holder_name") or order.payee.name or "").strip()


def _hold(db, mismatches: dict[str, PayoutHold]) -> None:
    with db.unit_of_work() as uow:
        payouts = PayoutRepository(uow.session)
        holds = HoldRepository(uow.session)
        held = [p for p in payouts.by_ids(mismatches, lock=True) if p.hold()]
        for payout in held:
            payout.claimed_until = None
            holds.add(str(uuid.uuid4()), mismatches[payout.id])
        payouts.save(held, {})
        uow.commit()


# Review -----------------------------------------------------------------------------------

def pending_holds(session, limit: int = 200) -> dict:
    rows = HoldRepository(session).pending(limit)
    return {"holds": [_view(row) for row in rows]}


def release_hold(db, hold_id: str, actor: dict | None, why: str) -> dict:
    """Pay as it is: the sweeper picks the payout up again (released, no lease, due now)."""
    with db.unit_of_work() as uow:
        holds = HoldRepository(uow.session)
        hold, payout = _reviewable(uow.session, holds, hold_id, actor)
        if payout.status is not PayoutStatus.HELD:
            raise Conflict(f"payout {payout.id} is {payout.status.value}, not held")
        _decide(hold.release, actor, why)
        payout.resume()
        payout.claimed_until = None
        holds.save(hold_id, hold)
        PayoutRepository(uow.session).save([payout], {payout.id: None})
        uow.commit()
    return _decided(hold_id, hold, payout)


def reject_hold(db, runner, hold_id: str, actor: dict | None, why: str) -> dict:
    """Do not pay: the payout fails (the runner's record step settles its instalment)."""
    with db.unit_of_work() as uow:
        hold, payout = _reviewable(uow.session, HoldRepository(uow.session), hold_id, actor)
        _decide(hold.reject, actor, why)
    # Failed first, then the hold marked: a crash in between leaves a pending hold on a failed
    # payout, which a second reject completes; never a rejected hold on a payable payout.
    runner.record({payout.id: ProviderReport(FAILED, None, MISMATCH)})
    with db.unit_of_work() as uow:
        holds = HoldRepository(uow.session)
        stored = holds.get(hold_id, lock=True)
        if not stored.pending:
            raise Conflict(f"hold {hold_id} was already {stored.resolution.value}")
        stored.reject(actor["id"], why, now())
        holds.save(hold_id, stored)
        uow.commit()
        payout = PayoutRepository(uow.session).by_ids([payout.id])[0]
    return _decided(hold_id, stored, payout)


def _reviewable(session, holds: HoldRepository, hold_id: str, actor: dict | None):
    hold = holds.get(hold_id, lock=True)
    if hold is None:
        raise NotFound(f"no payout hold {hold_id}")
    if not actor or actor.get("role") != SUPERVISOR:
        raise Forbidden("a held payout is reviewed by a supervisor")
    if actor["id"] == holds.batch_preparer(hold.payout_id):
        raise Forbidden("a held payout is reviewed by another person than its batch's preparer")
    if not hold.pending:
        raise Conflict(f"hold {hold_id} was already {hold.resolution.value} by {hold.decided_by}")
    payout = PayoutRepository(session).by_ids([hold.payout_id], lock=True)[0]
    if payout.status is not PayoutStatus.HELD and not (payout.status is PayoutStatus.FAILED
                                                       and payout.failure_reason == MISMATCH):
        raise Conflict(f"payout {payout.id} is {payout.status.value}: the provider has it already")
    return hold, payout


def _decide(decision, actor: dict, why: str) -> None:
    if not isinstance(why, str) or not why.strip():
        raise InvalidInput("say why", fields={"reason": ["required"]})
    try:
        decision(actor["id"], why, now())
    except HoldAlreadyDecided as decided:
        raise Conflict(str(decided)) from None


def _view(row: dict) -> dict:
    return {"id": row["id"], "payout_id": row["payout_id"], "case_id": row["case_id"],
            "instalment_id": row["instalment_id"], "batch_id": row["batch_id"],
            "route": row["route"], "amount": {"amount": row["amount"], "currency": row["currency"]},
            "payout_status": row["payout_status"], "provider_name": row["provider_name"],
            "payee_name": row["payee_name"], "held_at": row["held_at"].isoformat()}


def _decided(hold_id: str, hold: PayoutHold, payout: StoredPayout) -> dict:
    return {"id": hold_id, "payout_id": hold.payout_id, "resolution": hold.resolution.value,
            "decided_by": hold.decided_by, "payout_status": payout.status.value,
            "failure_reason": payout.failure_reason}
