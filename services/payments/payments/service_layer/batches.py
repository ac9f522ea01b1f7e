"""Payout batches with maker-checker: one finance officer prepares a batch of due instalments,
another releases it; the payouts then run in the background (payout_runner).

Release does not touch the payouts themselves — a batch may hold 100,000 of them. It marks
the batch released and announces it in chunks (`payout_chunk_released`, to payments itself);
each chunk is released and submitted by its own worker, and the sweeper picks up any chunk
whose message was lost, so a restart mid-run resumes where it stopped.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from reintegra import paging
from reintegra.bulk import in_chunks
from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from reintegra.money import Money

from payments.adapters.payout_repository import (PayoutRepository, StoredPayout, aware, now,
                                                 stored_payout)
from payments.adapters.tables import instalments, payout_batches, payout_methods, payouts, schedules
from payments.domain.batches import (BatchAlreadyReleased, BatchStatus, PayoutBatch,
                                     SeparationOfDutiesViolation, all_ended, progress_of)
from payments.domain.payouts import InstalmentPayouts
from payments.service_layer import payout_decisions
from payments.service_layer.budget import fingerprint
from payments.service_layer.exchange_rates import PayoutCurrencySettings, fix_payout_terms
from payments.service_layer.payees import InstalmentPayees

CHUNK_EVENT = "payout_chunk_released"


def prepare_batch(uow, body: dict, officer_id: str, idempotency_key: str | None,
                  routes: set[str]) -> dict:
    request = fingerprint("prepare", body, officer_id)
    if idempotency_key:
        earlier = uow.session.execute(sa.select(payout_batches).where(
            payout_batches.c.request_key == idempotency_key)).first()
        if earlier is not None:
            if earlier.request_fingerprint != request:
                raise Conflict("this Idempotency-Key was used with another request")
            return batch_view(uow.session, earlier.id)
    programme_id = body.get("programme_id")
    due = _due_instalments(uow.session, programme_id)
    rerouted = payout_decisions.awaiting_batch(uow.session, programme_id)
    if not due and not rerouted:
        raise RuleViolation("no instalment is due for payment", fields={})
    batch_id = str(uuid.uuid4())
    payees = InstalmentPayees(uow.session, due, routes)
    prepared, skipped = _prepare_payouts(uow.session, due, batch_id, payees)
    if not prepared and not rerouted:
        raise RuleViolation("no due instalment has a usable payout method",
                            details={"skipped": skipped})
    PayoutRepository(uow.session).add(prepared)
    payout_decisions.join_batch(uow.session, rerouted, batch_id)
    payees.record_links()
    _mark_paying([p.instalment_id for p in prepared], uow.session)
    uow.session.execute(payout_batches.insert().values(
        id=batch_id, programme_id=programme_id, prepared_by=officer_id, status="prepared",
        payout_count=len(prepared) + len(rerouted), skipped=skipped, request_key=idempotency_key,
        request_fingerprint=request, created_at=now()))
    return batch_view(uow.session, batch_id)


def release_batch(uow, batch_id: str, officer_id: str, chunk_size: int,
                  currencies: PayoutCurrencySettings | None = None) -> dict:
    """Release a prepared batch (another officer than its preparer) and announce its chunks;
    with `currencies`, each payout's currency, amount and rate (and a voucher's expiry) are
    fixed now, in the same transaction — a currency without a usable rate releases nothing."""
    repository = PayoutRepository(uow.session)
    row = repository.batch(batch_id, lock=True)
    if row is None:
        raise NotFound(f"no payout batch {batch_id}")
    batch = PayoutBatch(row.id, row.programme_id, row.prepared_by, {}, BatchStatus(row.status),
                        row.released_by)
    try:
        batch.release(officer_id)
    except SeparationOfDutiesViolation as refused:
        raise Forbidden(str(refused)) from None
    except BatchAlreadyReleased:
        view = batch_view(uow.session, batch_id, payout_limit=0)
        raise Conflict(f"batch {batch_id} is already {view['status']}",
                       details={"batch": view}) from None
    uow.session.execute(payout_batches.update().where(payout_batches.c.id == batch_id).values(
        status=BatchStatus.RELEASED.value, released_by=officer_id, released_at=now()))
    ids = uow.session.execute(sa.select(payouts.c.id).where(
        payouts.c.batch_id == batch_id).order_by(payouts.c.id)).scalars().all()
    for start in range(0, len(ids), chunk_size):
        uow.publish(CHUNK_EVENT, {"batch_id": batch_id, "payout_ids": ids[start:start + chunk_size]})
    if currencies is not None:
        fix_payout_terms(uow.session, batch_id, currencies)
    return batch_view(uow.session, batch_id, payout_limit=0)


def batch_view(session, batch_id: str, payout_limit: int = 1000) -> dict:
    row = PayoutRepository(session).batch(batch_id)
    if row is None:
        raise NotFound(f"no payout batch {batch_id}")
    counts = PayoutRepository(session).progress(batch_id)
    status = BatchStatus(row.status)
    if status is BatchStatus.RELEASED and all_ended(counts):
        status = BatchStatus.COMPLETED
    progress = progress_of(status, counts)
    items = session.execute(sa.select(payouts).where(payouts.c.batch_id == batch_id)
                            .order_by(payouts.c.id).limit(payout_limit)).all()
    return {
        "id": row.id, "programme_id": row.programme_id, "status": progress.status.value,
        "prepared_by": row.prepared_by, "released_by": row.released_by,
        "completed_at": row.completed_at and aware(row.completed_at).isoformat(),
        "progress": {"total": progress.total, "pending": progress.pending,
                     "submitted": progress.submitted, "paid": progress.paid,
                     "failed": progress.failed},
        "skipped": row.skipped,
        "payouts": [{"id": p.id, "instalment_id": p.instalment_id, "case_id": p.case_id,
                     "route": p.route, "amount": {"amount": p.amount, "currency": p.currency},
                     "payee": {"id": p.payee_id, "kind": p.payee_kind, "plan_line_id": p.plan_line_id,
                               "document_reference": p.document_reference},
                     "status": p.status, "attempts": p.attempts,
                     "failure_reason": p.failure_reason} for p in items],
        "payouts_truncated": progress.total > len(items)}


def list_batches(session, status: str | None = None, programme: str | None = None,
                 limit=None, cursor: str | None = None) -> dict:
    """Batches newest first, of one status if asked (`prepared`: waiting for a second officer
    to release them) and of one programme if asked; pages by an opaque cursor."""
    page_size, after = _parse_batch_list(status, limit, cursor)
    query = sa.select(payout_batches)
    if status:
        query = query.where(payout_batches.c.status == status)
    if programme:
        query = query.where(payout_batches.c.programme_id == programme)
    if after is not None:
        at, last_id = after
        query = query.where(sa.or_(payout_batches.c.created_at < at, sa.and_(
            payout_batches.c.created_at == at, payout_batches.c.id < last_id)))
    rows = session.execute(query.order_by(payout_batches.c.created_at.desc(),
                                          payout_batches.c.id.desc()).limit(page_size + 1)).all()
    page = rows[:page_size]
    next_cursor = None
    if len(rows) > page_size:
        next_cursor = paging.encode_cursor(aware(page[-1].created_at), page[-1].id)
    return {"items": [_summary(row) for row in page], "next_cursor": next_cursor}


def _summary(row) -> dict:
    def moment(value):
        return value and aware(value).isoformat()
    return {"id": row.id, "programme_id": row.programme_id, "status": row.status,
            "payout_count": row.payout_count, "skipped_count": len(row.skipped or []),
            "prepared_by": row.prepared_by, "released_by": row.released_by,
            "prepared_at": moment(row.created_at), "released_at": moment(row.released_at),
            "completed_at": moment(row.completed_at)}


def _parse_batch_list(status, limit, cursor):
    fields = {}
    if status and status not in {s.value for s in BatchStatus}:
        fields["status"] = [f"must be one of {', '.join(s.value for s in BatchStatus)}"]
    page_size, after = paging.read_page(limit, cursor, fields)
    if fields:
        raise InvalidInput("the list query is not valid", fields=fields)
    return page_size, after


def _due_instalments(session, programme_id: str | None) -> list:
    query = (sa.select(instalments, schedules.c.reservation_id, payout_methods.c.route,
                       payout_methods.c.case_id.label("method_case"))
             .join(schedules, schedules.c.plan_id == instalments.c.plan_id)
             .outerjoin(payout_methods, payout_methods.c.case_id == instalments.c.case_id)
             .where(instalments.c.status == "due").order_by(instalments.c.due_at))
    if programme_id:
        query = query.where(instalments.c.programme_id == programme_id)
    return session.execute(query).all()


def _prepare_payouts(session, due: list, batch_id: str,
                     payees: InstalmentPayees) -> tuple[list[StoredPayout], list[dict]]:
    existing = PayoutRepository(session).of_instalments(row.id for row in due)
    prepared, skipped = [], []
    for row in due:
        refusal = payees.refusal(row)
        if refusal:
            skipped.append({"instalment_id": row.id, "case_id": row.case_id, **refusal})
            continue
        group = InstalmentPayouts(row.id, row.case_id, Money(row.amount, row.currency),
                                  list(existing.get(row.id, [])))
        if group.uncommitted.amount <= 0:
            continue
        for payout in payees.prepare(group, row):
            prepared.append(stored_payout(payout, row.programme_id, row.reservation_id,
                                          batch_id))
    return prepared, skipped


def _mark_paying(instalment_ids: list[str], session) -> None:
    """due → paying (Instalment.start_paying), in bulk: a batch may hold 100,000."""
    for chunk in in_chunks(instalment_ids):
        session.execute(instalments.update().where(
            instalments.c.id.in_(chunk),
            instalments.c.status == "due").values(status="paying"))
