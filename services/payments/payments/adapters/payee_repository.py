"""Suppliers and trusted third parties in the database; rows become `domain.payees.Payee` and back."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

from reintegra.bulk import in_chunks, update_many
from reintegra.money import Money

from payments.adapters.payee_tables import payees
from payments.adapters.clock import aware, now
from payments.adapters.tables import payouts
from payments.domain.payees import Payee, PayeeKind, SupplierDocument, ThirdPartyAuthorisation
from payments.domain.payouts import SPENT


def to_payee(row) -> Payee:
    kind = PayeeKind(row.kind)
    if kind is PayeeKind.SUPPLIER:
        document = SupplierDocument(row.document_kind, row.document_reference,
                                    Money(row.document_amount, row.document_currency))
        return Payee.supplier(row.id, row.case_id, row.name, row.plan_line_id, document, row.route,
                              row.details)
    authorisation = ThirdPartyAuthorisation(
        row.authorised_on, row.relationship, row.signed_document_reference, row.recorded_by,
        approved_by=row.approved_by, approved_at=aware(row.approved_at), revoked_by=row.revoked_by,
        revoked_at=aware(row.revoked_at), revocation_reason=row.revocation_reason)
    return Payee.third_party(row.id, row.case_id, row.name, authorisation, row.route, row.details)


def _columns(payee: Payee) -> dict:
    columns = dict(id=payee.id, case_id=payee.case_id, kind=payee.kind.value, name=payee.name,
                   route=payee.route, details=payee.details, plan_line_id=payee.plan_line_id)
    if payee.document is not None:
        columns.update(document_kind=payee.document.kind, document_reference=payee.document.reference,
                       document_amount=payee.document.amount.amount,
                       document_currency=payee.document.amount.currency)
    if payee.authorisation is not None:
        columns.update(_authorisation_columns(payee.authorisation),
                       relationship=payee.authorisation.relationship,
                       authorised_on=payee.authorisation.given_on,
                       signed_document_reference=payee.authorisation.signed_document_reference)
    return columns


def _authorisation_columns(authorisation: ThirdPartyAuthorisation) -> dict:
    return dict(approved_by=authorisation.approved_by, approved_at=authorisation.approved_at,
                revoked_by=authorisation.revoked_by, revoked_at=authorisation.revoked_at,
                revocation_reason=authorisation.revocation_reason)


class PayeeRepository:
    def __init__(self, session):
        self.session = session

    def add(self, payee: Payee, recorded_by: str) -> None:
        self.session.execute(payees.insert().values(**_columns(payee), recorded_by=recorded_by,
                                                    recorded_at=now()))

    def get(self, payee_id: str, lock: bool = False) -> Payee | None:
        query = sa.select(payees).where(payees.c.id == payee_id)
        if lock:
            query = query.with_for_update()  # SQLite's compiler leaves it out
        row = self.session.execute(query).first()
        return None if row is None else to_payee(row)

    def of_cases(self, case_ids: Iterable[str]) -> dict[str, list[Payee]]:
        """Each case's suppliers and third parties, in the order they were recorded."""
        found: dict[str, list[Payee]] = {}
        for chunk in in_chunks(case_ids):
            rows = self.session.execute(sa.select(payees).where(
                payees.c.case_id.in_(chunk))
                .order_by(payees.c.recorded_at, payees.c.id))
            for row in rows:
                found.setdefault(row.case_id, []).append(to_payee(row))
        return found

    def by_ids(self, payee_ids: Iterable[str]) -> dict[str, Payee]:
        found: dict[str, Payee] = {}
        for chunk in in_chunks(payee_ids):
            rows = self.session.execute(sa.select(payees).where(payees.c.id.in_(chunk)))
            found.update({row.id: to_payee(row) for row in rows})
        return found

    def committed_to(self, payee_ids: Iterable[str]) -> dict[str, int]:
        """Minor units held by payouts to each payee that have not failed (paid or on the way)."""
        committed: dict[str, int] = {}
        for chunk in in_chunks(payee_ids):
            rows = self.session.execute(
                sa.select(payouts.c.payee_id, sa.func.sum(payouts.c.amount))
                .where(payouts.c.payee_id.in_(chunk),
                       payouts.c.status.not_in([status.value for status in SPENT]))
                .group_by(payouts.c.payee_id))
            committed.update({payee_id: int(total) for payee_id, total in rows})
        return committed

    def save_authorisation(self, payee: Payee) -> None:
        self.session.execute(payees.update().where(payees.c.id == payee.id).values(
            **_authorisation_columns(payee.authorisation)))

    def link_payouts(self, links: dict[str, dict]) -> None:
        """Record who each of these payouts pays ({payout id: {payee_kind, plan_line_id,
        document_reference}}); payouts not named here pay the beneficiary."""
        if not links:
            return
        update_many(self.session, payouts, ("id",), [
            dict(id=payout_id, payee_kind=link["payee_kind"], plan_line_id=link["plan_line_id"],
                 document_reference=link["document_reference"])
            for payout_id, link in links.items()])
