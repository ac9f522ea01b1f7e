"""A case's suppliers and trusted third parties, their authorisations, and who each instalment pays.

The beneficiary is the implicit payee of the case's payout method. A caseworker records a
supplier (paid against an invoice or quote for a plan line) or a trusted third party (with
the beneficiary's signed authorisation); a supervisor other than the recorder approves a
third party's authorisation, and any supervisor may revoke it.

When a batch is prepared (`batches.prepare_batch`), `InstalmentPayees` decides who each due
instalment pays: first the case's suppliers whose invoice or quote is not yet fully paid,
then the rest to the payee of the payout method. An instalment whose payee may not be paid
(a third party not approved, or revoked) is left out of the batch with the reason, and
stays due: the next batch takes it once a supervisor has approved.
"""
from __future__ import annotations

import datetime
import uuid
from collections import defaultdict

import sqlalchemy as sa

from reintegra.bulk import in_chunks
from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from reintegra.money import Money

from payments.adapters.payee_repository import PayeeRepository
from payments.adapters.payout_repository import now
from payments.adapters.tables import beneficiary_cases, payout_methods, programmes
from payments.domain import payees as domain
from payments.domain.payees import Payee, PayeeKind
from payments.domain.payout_methods import PAYEE_ROUTES
from payments.domain.payouts import InstalmentPayouts, Payout
from payments.service_layer import payout_route
from payments.service_layer.payout_method import (PayoutRules, raise_if_invalid,
                                                  raise_if_not_offered)
from payments.service_layer.payout_method_schemas import supplier_problems, third_party_problems

_KINDS = (PayeeKind.SUPPLIER.value, PayeeKind.THIRD_PARTY.value)


# Recording payees -----------------------------------------------------------------------------

def record_payee(uow, case_id: str, body: dict, actor_id: str, rules: PayoutRules = PayoutRules(),
                 today: datetime.date | None = None) -> dict:
    body = body if isinstance(body, dict) else {}
    kind = body.get("kind")
    if kind not in _KINDS:
        raise InvalidInput("a payee is a supplier or a third party", fields={"kind": [" or ".join(_KINDS)]})
    case = uow.session.execute(sa.select(beneficiary_cases.c.return_country, programmes.c.currency)
                               .join(programmes, programmes.c.id == beneficiary_cases.c.programme_id)
                               .where(beneficiary_cases.c.case_id == case_id)).first()
    country = case.return_country if case else ""
    if kind == PayeeKind.SUPPLIER.value:
        problems = supplier_problems(body, country=country, operators=rules.operators)
    else:
        problems = third_party_problems(body, country=country, operators=rules.operators,
                                        today=today or datetime.date.today())
    raise_if_invalid(f"invalid {kind}", problems)
    if case is None:
        raise NotFound(f"no case {case_id}")
    raise_if_not_offered(rules.policy.refusals(PayeeKind(kind), body["route"], country))
    payee = _new_payee(case_id, body, actor_id)
    if payee.document is not None and payee.document.amount.currency != case.currency:
        raise RuleViolation(f"the programme pays in {case.currency}",
                            fields={"document.amount": [f"in {case.currency}, the programme's currency"]})
    PayeeRepository(uow.session).add(payee, actor_id)
    return view(payee, 0)


def _new_payee(case_id: str, body: dict, actor_id: str) -> Payee:
    payee_id, name, route, details = str(uuid.uuid4()), " ".join(body["name"].split()), body["route"], body["details"]
    if body["kind"] == PayeeKind.SUPPLIER.value:
        document = body["document"]
        return Payee.supplier(payee_id, case_id, name, body["plan_line_id"], domain.SupplierDocument(
            document["kind"], document["reference"], Money.from_dict(document["amount"])), route, details)
    authorisation = body["authorisation"]
    return Payee.third_party(payee_id, case_id, name, domain.ThirdPartyAuthorisation(
        datetime.date.fromisoformat(authorisation["signed_on"]), body["relationship"],
        authorisation["document_reference"], actor_id), route, details)


def case_payees(session, case_id: str) -> dict:
    """The beneficiary (when a payout method is set) and every supplier and third party."""
    method = session.execute(sa.select(payout_methods).where(payout_methods.c.case_id == case_id)).first()
    repository = PayeeRepository(session)
    recorded = repository.of_cases([case_id]).get(case_id, [])
    committed = repository.committed_to(p.id for p in recorded)
    items = [view(payee, committed.get(payee.id, 0)) for payee in recorded]
    if method is not None:
        items.insert(0, {"id": case_id, "case_id": case_id, "kind": PayeeKind.BENEFICIARY.value,
                         "route": method.route, "details": method.details})
    return {"case_id": case_id, "items": items}


def view(payee: Payee, committed: int) -> dict:
    answer = {"id": payee.id, "case_id": payee.case_id, "kind": payee.kind.value, "name": payee.name,
              "route": payee.route, "details": payee.details}
    if payee.document is not None:
        answer["plan_line_id"] = payee.plan_line_id
        answer["document"] = {"kind": payee.document.kind, "reference": payee.document.reference,
                              "amount": payee.document.amount.to_dict(),
                              "committed": Money(committed, payee.document.amount.currency).to_dict()}
    if payee.authorisation is not None:
        answer["authorisation"] = _authorisation_view(payee.authorisation)
    readiness = payee.payout_readiness()
    answer["payable"], answer["not_payable_because"] = readiness.allowed, list(readiness.reasons)
    return answer


def _authorisation_view(authorisation: domain.ThirdPartyAuthorisation) -> dict:
    status = "revoked" if authorisation.revoked else "approved" if authorisation.approved else "pending"
    return {"status": status, "relationship": authorisation.relationship,
            "signed_on": authorisation.given_on.isoformat(),
            "document_reference": authorisation.signed_document_reference,
            "recorded_by": authorisation.recorded_by, "approved_by": authorisation.approved_by,
            "approved_at": _iso(authorisation.approved_at), "revoked_by": authorisation.revoked_by,
            "revoked_at": _iso(authorisation.revoked_at), "revocation_reason": authorisation.revocation_reason}


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# Third parties' authorisations ----------------------------------------------------------------

def approve_authorisation(uow, payee_id: str, caller: dict) -> dict:
    repository, payee = _third_party(uow.session, payee_id)
    try:
        payee.authorisation.approve(caller["id"], caller.get("role", ""), now())
    except (domain.NotASupervisor, domain.SameApproverAsRecorder) as refused:
        raise Forbidden(str(refused)) from None
    except (domain.AuthorisationRevoked, domain.AlreadyApproved) as refused:
        raise Conflict(str(refused)) from None
    repository.save_authorisation(payee)
    return view(payee, 0)


def revoke_authorisation(uow, payee_id: str, caller: dict, body: dict) -> dict:
    """Any supervisor may withdraw it (the beneficiary changed their mind, or it was found
    wanting); a repeat keeps the first revocation."""
    if caller.get("role") != domain.SUPERVISOR:
        raise Forbidden("only a supervisor may revoke a third party's authorisation")
    reason = (body or {}).get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("say why the authorisation is revoked", fields={"reason": ["required"]})
    repository, payee = _third_party(uow.session, payee_id)
    if payee.authorisation.revoke(caller["id"], reason.strip(), now()):
        repository.save_authorisation(payee)
    return view(payee, 0)


def _third_party(session, payee_id: str) -> tuple[PayeeRepository, Payee]:
    repository = PayeeRepository(session)
    payee = repository.get(payee_id, lock=True)
    if payee is None or payee.kind is not PayeeKind.THIRD_PARTY:
        raise NotFound(f"no third party {payee_id}")
    return repository, payee


# Who each instalment of a batch pays ----------------------------------------------------------

class InstalmentPayees:
    """Who the due instalments of one batch pay; built once per batch, in bulk.

    `rows` are the due instalments as `batches` selects them (id, case_id, route and
    method_case of the payout method); `routes` are the routes the engine can carry."""

    def __init__(self, session, rows: list, routes: set[str]):
        self.session, self.routes = session, routes
        repository = PayeeRepository(session)
        self.recorded = repository.of_cases(row.case_id for row in rows)
        named = _named_payee_ids(session, {row.case_id for row in rows if row.route in PAYEE_ROUTES})
        self.named = {case_id: next((p for p in self.recorded.get(case_id, []) if p.id == payee_id), None)
                      for case_id, payee_id in named.items()}
        self.committed = defaultdict(int, repository.committed_to(
            p.id for payees in self.recorded.values() for p in payees if p.kind is PayeeKind.SUPPLIER))
        self.links: dict[str, dict] = {}

    def refusal(self, row) -> dict | None:
        """Why this instalment cannot go in the batch now ({reason, detail?}), or None."""
        if row.method_case is None:
            return {"reason": "no_payout_method"}
        rest = self._rest_payee(row)
        if rest is None:
            return {"reason": "payee_not_found"}
        carriers = {rest.route} | {s.route for s in self._suppliers(row.case_id)}
        if not carriers <= self.routes:
            return {"reason": "route_not_configured"}
        readiness = rest.payout_readiness() if rest.kind is not PayeeKind.BENEFICIARY else None
        if readiness is not None and not readiness.allowed:
            state = "revoked" if rest.authorisation and rest.authorisation.revoked else "not_approved"
            return {"reason": f"third_party_authorisation_{state}", "payee_id": rest.id,
                    "detail": "; ".join(readiness.reasons)}
        return None

    def prepare(self, group: InstalmentPayouts, row) -> list[Payout]:
        """The instalment's payouts: open supplier invoices first, the rest to the method's payee."""
        currency = group.instalment_amount.currency
        suppliers = [(s, Money(self.committed[s.id], currency)) for s in self._suppliers(row.case_id)]
        prepared = []
        for share in domain.share_instalment(group.uncommitted, suppliers, self._rest_payee(row)):
            payout = group.prepare(payee_id=share.payee.id, route=share.payee.route, amount=share.amount)
            if share.payee.kind is not PayeeKind.BENEFICIARY:
                self.committed[share.payee.id] += share.amount.amount
                self.links[payout.id] = {"payee_kind": share.payee.kind.value,
                                         "plan_line_id": share.payee.plan_line_id,
                                         "document_reference": share.payee.document and share.payee.document.reference}
            prepared.append(payout)
        return prepared

    def record_links(self) -> None:
        """Once the payouts are stored: who the non-beneficiary ones pay."""
        PayeeRepository(self.session).link_payouts(self.links)

    def _rest_payee(self, row) -> Payee | None:
        if row.route in PAYEE_ROUTES:
            return self.named.get(row.case_id)
        return Payee.beneficiary(row.case_id, row.case_id, "", row.route, {})

    def _suppliers(self, case_id: str) -> list[Payee]:
        return [p for p in self.recorded.get(case_id, []) if p.kind is PayeeKind.SUPPLIER
                and self.committed[p.id] < p.document.amount.amount]


def _named_payee_ids(session, case_ids: set[str]) -> dict[str, str]:
    return {case_id: details.get("payee_id")
            for case_id, details in _method_details(session, case_ids).items()}


def _method_details(session, case_ids) -> dict[str, dict]:
    """Each case's payout-method details ({case id: details})."""
    found = {}
    for chunk in in_chunks(case_ids):
        found.update(session.execute(sa.select(payout_methods.c.case_id, payout_methods.c.details)
                                     .where(payout_methods.c.case_id.in_(chunk))).all())
    return found


# Who the runner pays ----------------------------------------------------------------------------

def payees_for(session, payouts: list) -> dict[str, payout_route.Payee]:
    """The route's view of who each payout pays ({payout id: Payee}): the beneficiary's
    payout method for their own payouts (payee id = case id), the recorded supplier or third
    party otherwise. A payout whose payee has no details on file is left out."""
    beneficiary = {p.case_id for p in payouts if p.payee_id == p.case_id}
    methods = {case_id: payout_route.Payee(case_id, _holder(details), dict(details))
               for case_id, details in _method_details(session, beneficiary).items()}
    others = PayeeRepository(session).by_ids(p.payee_id for p in payouts if p.payee_id != p.case_id)
    found = {}
    for payout in payouts:
        if payout.payee_id == payout.case_id:
            payee = methods.get(payout.case_id)
        else:
            recorded = others.get(payout.payee_id)
            payee = recorded and payout_route.Payee(recorded.id, recorded.name, dict(recorded.details))
        if payee is not None:
            found[payout.id] = payee
    return found


def _holder(details: dict) -> str:
    """The beneficiary's name as the route knows it: the account holder's for bank and mobile
    money, the names on the ID for cash pickup."""
    return details.get("account_holder_name") or " ".join(
        filter(None, [details.get("given_name"), details.get("family_name")]))
