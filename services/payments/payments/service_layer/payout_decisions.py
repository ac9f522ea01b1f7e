"""Finance decisions on failed payouts (rules: payments.domain.payout_decisions), the
worklist of payouts that await one, and one payout's view.

A re-route prepares the replacement payout outside any batch (`batch_id` NULL); the next
batch a finance officer prepares for its programme (or for all programmes) takes it in
(`awaiting_batch` / `join_batch`, called by service_layer/batches.prepare_batch), and a
second officer releases that batch as usual: a re-routed payment goes through the same
maker-checker as any other.

Where money moves (a re-route prepares a payout; a return may release budget) the request's
Idempotency-Key is kept with the decision: the same key and request answer the same, the
same key with another request is a conflict. Without a key, repeating a decision is a no-op
too, since each payout has at most one decision and the ledger release has a fixed
operation id (`payout:<id>:release`).
"""
from __future__ import annotations

import sqlalchemy as sa

from reintegra import paging
from reintegra.bulk import in_chunks
from reintegra.contracts.errors import Conflict, InvalidInput, NotFound, RuleViolation
from reintegra.money import Money

from payments.adapters.payout_decision_tables import payout_decisions
from payments.adapters.payout_repository import PayoutRepository, aware, now, stored_payout
from payments.adapters.schedule_repository import ScheduleRepository
from payments.adapters.tables import instalments, payout_methods, payouts, schedules
from payments.domain.payout_decisions import (Decision, DecisionRefused, RuleBroken, WrongState,
                                              check_open, check_reroutable, close_instalment)
from payments.domain.payouts import InstalmentPayouts, PayoutStatus
from payments.service_layer.budget import fingerprint, release_unpaid
from payments.service_layer.vouchers import voucher_view

MAX_REASON = 500


# Decisions --------------------------------------------------------------------------------

def reroute(uow, payout_id: str, body: dict, officer_id: str, idempotency_key: str | None,
            routes: set[str]) -> dict:
    """Mark a failed payout re-routed and prepare its replacement by `body["route"]`."""
    route, reason = _route(body), _reason(body)
    if route not in routes:
        raise RuleViolation(f"route {route} is not configured",
                            fields={"route": [f"must be one of {', '.join(sorted(routes))}"]})
    request = fingerprint("reroute", payout_id, route, reason)
    answered = _answered(uow.session, idempotency_key, request)
    if answered is not None:
        return answered
    group, payout, stored = _load(uow.session, payout_id)
    wanted = Decision("rerouted", route)
    with _refusals(uow.session, payout_id):
        if not check_open(group, payout_id, wanted, _earlier(uow.session, payout_id)):
            return payout_view(uow.session, payout_id)
        instalment = _instalment(stored, payout.instalment_id)
        check_reroutable(instalment, payout, _method_route(uow.session, payout.case_id), route)
        replacement = group.reroute(payout_id, route)
        instalment.start_paying()
    repository = PayoutRepository(uow.session)
    try:
        repository.add([stored_payout(replacement, payout.programme_id, payout.reservation_id)])
    except sa.exc.IntegrityError:
        # A batch prepared a payout of the instalment at the same moment (same sequence).
        raise Conflict(f"another payout of instalment {payout.instalment_id} was prepared "
                       "meanwhile; look at the payout again") from None
    repository.save([payout], {payout.id: None})
    ScheduleRepository(uow.session).save([stored])
    _record(uow.session, payout, wanted, reason, officer_id, idempotency_key, request,
            replacement_id=replacement.id)
    return payout_view(uow.session, payout_id)


def return_payout(uow, payout_id: str, body: dict, officer_id: str,
                  idempotency_key: str | None) -> dict:
    """Mark a failed payout returned: its money stays reserved for the instalment, or (with
    `release_budget`) goes back to the available budget and the instalment is closed."""
    reason, release = _reason(body), _release_flag(body)
    request = fingerprint("return", payout_id, reason, release)
    answered = _answered(uow.session, idempotency_key, request)
    if answered is not None:
        return answered
    group, payout, stored = _load(uow.session, payout_id)
    wanted = Decision("returned", release_budget=release)
    with _refusals(uow.session, payout_id):
        if not check_open(group, payout_id, wanted, _earlier(uow.session, payout_id)):
            return payout_view(uow.session, payout_id)
        unpaid = (close_instalment(_instalment(stored, payout.instalment_id), payout)
                  if release else None)
        group.return_to_reservation(payout_id)
    released = Money.zero(payout.amount.currency)
    if unpaid is not None and unpaid.amount > 0:
        released = release_unpaid(uow, f"payout:{payout.id}:release", payout.programme_id,
                                  payout.reservation_id, unpaid, payout.route)
    PayoutRepository(uow.session).save([payout], {payout.id: None})
    ScheduleRepository(uow.session).save([stored])
    _record(uow.session, payout, wanted, reason, officer_id, idempotency_key, request,
            released=released)
    return payout_view(uow.session, payout_id)


# Joining the next batch -------------------------------------------------------------------

def awaiting_batch(session, programme_id: str | None) -> list[str]:
    """Replacements of re-routed payouts not in any batch yet (of one programme, or all),
    whose case was not withdrawn meanwhile."""
    query = (sa.select(payouts.c.id)
             .join(instalments, instalments.c.id == payouts.c.instalment_id)
             .join(schedules, schedules.c.plan_id == instalments.c.plan_id)
             .where(payouts.c.status == PayoutStatus.PREPARED.value,
                    payouts.c.batch_id.is_(None), schedules.c.withdrawn.is_(False))
             .order_by(payouts.c.id))
    if programme_id:
        query = query.where(payouts.c.programme_id == programme_id)
    return list(session.execute(query).scalars())


def join_batch(session, payout_ids: list[str], batch_id: str) -> None:
    for chunk in in_chunks(payout_ids):
        session.execute(payouts.update().where(
            payouts.c.id.in_(chunk), payouts.c.batch_id.is_(None))
            .values(batch_id=batch_id, updated_at=now()))


# Views ------------------------------------------------------------------------------------

def payout_view(session, payout_id: str, role: str | None = None) -> dict:
    """One payout as staff see it (a voucher code shown whole only to `role`s that may)."""
    row = session.execute(sa.select(payouts).where(payouts.c.id == payout_id)).first()
    if row is None:
        raise NotFound(f"no payout {payout_id}")
    return _views(session, [row], role)[0]


def list_payouts(session, status: str | None = None, programme: str | None = None,
                 limit=None, cursor: str | None = None, role: str | None = None) -> dict:
    """Payouts in one status, newest first. `failed` lists the failed payouts that await a
    decision: not those whose instalment a later payout has taken over."""
    status, page_size, after = _parse_list(status, limit, cursor)
    query = sa.select(payouts).where(payouts.c.status == status)
    if programme:
        query = query.where(payouts.c.programme_id == programme)
    if status == PayoutStatus.FAILED.value:
        later = payouts.alias("later")
        query = query.where(~sa.exists().where(later.c.instalment_id == payouts.c.instalment_id,
                                               later.c.sequence > payouts.c.sequence))
    if after is not None:
        at, last_id = after
        query = query.where(sa.or_(payouts.c.updated_at < at, sa.and_(
            payouts.c.updated_at == at, payouts.c.id < last_id)))
    rows = session.execute(query.order_by(payouts.c.updated_at.desc(), payouts.c.id.desc())
                           .limit(page_size + 1)).all()
    page = rows[:page_size]
    more = len(rows) > page_size
    return {"items": _views(session, page, role),
            "next_cursor": _cursor(page[-1]) if more and page else None}


def _views(session, rows, role: str | None) -> list[dict]:
    ids = [r.id for r in rows]
    decisions = {d.payout_id: d for d in session.execute(sa.select(payout_decisions).where(
        payout_decisions.c.payout_id.in_(ids)))} if ids else {}
    siblings: dict[str, list] = {}
    instalment_ids = sorted({r.instalment_id for r in rows})
    if instalment_ids:
        for sibling in session.execute(sa.select(
                payouts.c.id, payouts.c.instalment_id, payouts.c.sequence).where(
                payouts.c.instalment_id.in_(instalment_ids))):
            siblings.setdefault(sibling.instalment_id, []).append(sibling)
    return [_view(r, decisions.get(r.id), siblings.get(r.instalment_id, []), role)
            for r in rows]


def _view(row, decision, siblings, role: str | None) -> dict:
    later = [s for s in siblings if s.sequence > row.sequence]
    return {
        "id": row.id, "instalment_id": row.instalment_id, "case_id": row.case_id,
        "programme_id": row.programme_id, "batch_id": row.batch_id, "route": row.route,
        "amount": {"amount": row.amount, "currency": row.currency}, "sequence": row.sequence,
        "status": row.status, "attempts": row.attempts, "failure_reason": row.failure_reason,
        "rerouted_to": row.rerouted_to,
        "voucher": voucher_view(row.collection, row.status, role),
        "updated_at": aware(row.updated_at).isoformat(),
        "superseded_by": max(later, key=lambda s: s.sequence).id if later else None,
        "decision": None if decision is None else {
            "decision": decision.decision, "route": decision.route,
            "replacement_id": decision.replacement_id,
            "release_budget": decision.release_budget,
            "released": {"amount": decision.released, "currency": decision.currency},
            "reason": decision.reason, "decided_by": decision.decided_by,
            "decided_at": aware(decision.decided_at).isoformat()}}


# Helpers ----------------------------------------------------------------------------------

def _load(session, payout_id: str):
    """The payout's instalment payouts (the payout locked) and its stored schedule."""
    repository = PayoutRepository(session)
    found = repository.by_ids([payout_id], lock=True)
    if not found:
        raise NotFound(f"no payout {payout_id}")
    instalment_id = found[0].instalment_id
    siblings = [p for p in repository.of_instalments([instalment_id])[instalment_id]
                if p.id != payout_id]
    payout = found[0]
    stored = ScheduleRepository(session).by_instalments([instalment_id]).get(instalment_id)
    amount = (next(i.amount for i in stored.schedule.instalments if i.id == instalment_id)
              if stored is not None else payout.amount)
    group = InstalmentPayouts(instalment_id, payout.case_id, amount,
                              sorted([*siblings, payout], key=lambda p: p.sequence))
    return group, payout, stored


def _instalment(stored, instalment_id: str):
    if stored is None:
        raise RuleBroken("the payout's instalment schedule is not known here")
    return next(i for i in stored.schedule.instalments if i.id == instalment_id)


def _method_route(session, case_id: str) -> str | None:
    return session.execute(sa.select(payout_methods.c.route).where(
        payout_methods.c.case_id == case_id)).scalar()


def _earlier(session, payout_id: str) -> Decision | None:
    row = session.execute(sa.select(payout_decisions).where(
        payout_decisions.c.payout_id == payout_id)).first()
    if row is None:
        return None
    return Decision(row.decision, row.route, row.release_budget)


def _answered(session, idempotency_key: str | None, request: str) -> dict | None:
    if not idempotency_key:
        return None
    row = session.execute(sa.select(payout_decisions).where(
        payout_decisions.c.request_key == idempotency_key)).first()
    if row is None:
        return None
    if row.request_fingerprint != request:
        raise Conflict("this Idempotency-Key was used with another request")
    return payout_view(session, row.payout_id)


def _record(session, payout, decision: Decision, reason: str, officer_id: str,
            idempotency_key: str | None, request: str, replacement_id: str | None = None,
            released: Money | None = None) -> None:
    session.execute(payout_decisions.insert().values(
        payout_id=payout.id, decision=decision.kind, route=decision.route,
        replacement_id=replacement_id, release_budget=decision.release_budget,
        released=released.amount if released else 0, currency=payout.amount.currency,
        reason=reason, decided_by=officer_id, decided_at=now(),
        request_key=idempotency_key or None, request_fingerprint=request))


class _refusals:
    """The domain's refusals as the API's errors: 409 with the payout's current state, 422."""

    def __init__(self, session, payout_id: str):
        self.session, self.payout_id = session, payout_id

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if isinstance(error, WrongState):
            raise Conflict(str(error), details={
                "payout": payout_view(self.session, self.payout_id)}) from None
        if isinstance(error, (RuleBroken, DecisionRefused)):
            raise RuleViolation(str(error), fields={}) from None
        return False


def _route(body: dict) -> str:
    route = (body or {}).get("route")
    if not isinstance(route, str) or not route:
        raise InvalidInput("route is required", fields={"route": ["required: a payout route"]})
    return route


def _reason(body: dict) -> str:
    reason = (body or {}).get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        raise InvalidInput("reason is required", fields={
            "reason": [f"required: why, in 1 to {MAX_REASON} characters"]})
    return reason.strip()


def _release_flag(body: dict) -> bool:
    release = (body or {}).get("release_budget", False)
    if not isinstance(release, bool):
        raise InvalidInput("release_budget must be true or false",
                           fields={"release_budget": ["must be a boolean"]})
    return release


def _parse_list(status, limit, cursor):
    fields = {}
    status = status or PayoutStatus.FAILED.value
    if status not in {s.value for s in PayoutStatus}:
        fields["status"] = [f"must be one of {', '.join(s.value for s in PayoutStatus)}"]
    page_size, after = paging.read_page(limit, cursor, fields)
    if fields:
        raise InvalidInput("the list query is not valid", fields=fields)
    return status, page_size, after


def _cursor(row) -> str:
    return paging.encode_cursor(aware(row.updated_at), row.id)
