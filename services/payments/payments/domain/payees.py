"""A case's payees, whether a payout to one may be prepared now, and the payee check before paying.

A case has one or more payees:
- the **beneficiary**;
- a **supplier** named on a plan line (equipment seller, training provider, landlord), paid
  directly against its invoice or quote;
- a **trusted third party** (a relative or a partner NGO) whom the beneficiary authorised in a
  signed document. Money to someone other than the beneficiary on their say-so is where fraud
  and coercion hide, so a supervisor other than the person who recorded the authorisation must
  approve it before any payout, and a revoked authorisation stops every further payout.

Confirming the payee: where a route can look up the account holder's name, it is compared with
the payee's (`payee_names.compare`); a mismatch holds the payout for a person to review, who
releases or rejects it with their name and reason. The hold keeps both names, so it is stored
with the payout and never put in an event or a log.
"""
from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from reintegra.money import Money

from . import payee_names

SUPERVISOR = "supervisor"
INVOICE, QUOTE = "invoice", "quote"
SUPPLIER_DOCUMENTS = frozenset({INVOICE, QUOTE})


class PayeeKind(str, enum.Enum):
    BENEFICIARY = "beneficiary"
    SUPPLIER = "supplier"
    THIRD_PARTY = "third_party"


class AuthorisationError(Exception):
    """A change to a third party's authorisation that the rules do not allow."""


class NotASupervisor(AuthorisationError):
    def __init__(self, role: str):
        super().__init__("only a supervisor may approve a third party's authorisation, "
                         f"not a {role or 'user without a role'}")


class SameApproverAsRecorder(AuthorisationError):
    def __init__(self, user_id: str):
        super().__init__("the authorisation must be approved by another person than the one who recorded it")
        self.user_id = user_id


class AuthorisationRevoked(AuthorisationError):
    def __init__(self):
        super().__init__("the beneficiary's authorisation was revoked")


class AlreadyApproved(AuthorisationError):
    def __init__(self, approved_by: str):
        super().__init__(f"the authorisation is already approved (by {approved_by})")
        self.approved_by = approved_by


@dataclass(frozen=True)
class SupplierDocument:
    """The invoice or quote a supplier is paid against, and what it asks."""
    kind: str  # INVOICE or QUOTE
    reference: str
    amount: Money

    def __post_init__(self):
        if self.kind not in SUPPLIER_DOCUMENTS:
            raise ValueError(f"a supplier is paid against an invoice or a quote, not {self.kind!r}")
        if not self.reference.strip():
            raise ValueError(f"the {self.kind} needs a reference")
        if self.amount.amount <= 0:
            raise ValueError(f"the {self.kind} must ask a positive amount, not {self.amount}")


@dataclass
class ThirdPartyAuthorisation:
    """The beneficiary's signed authorisation to pay a third party, and its approval."""
    given_on: datetime.date
    relationship: str  # one of payout_methods.THIRD_PARTY_RELATIONSHIPS
    signed_document_reference: str
    recorded_by: str
    approved_by: str | None = None
    approved_at: datetime.datetime | None = None
    revoked_by: str | None = None
    revoked_at: datetime.datetime | None = None
    revocation_reason: str | None = None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None

    @property
    def revoked(self) -> bool:
        return self.revoked_by is not None

    def approve(self, approver_id: str, approver_role: str, at: datetime.datetime) -> None:
        """Four eyes: a supervisor, not the person who recorded it, approves it once."""
        if self.revoked:
            raise AuthorisationRevoked()
        if approver_role != SUPERVISOR:
            raise NotASupervisor(approver_role)
        if approver_id == self.recorded_by:
            raise SameApproverAsRecorder(approver_id)
        if self.approved:
            raise AlreadyApproved(self.approved_by)
        self.approved_by, self.approved_at = approver_id, at

    def revoke(self, revoked_by: str, reason: str, at: datetime.datetime) -> bool:
        """The beneficiary withdrew it (or it was found wanting); False if already revoked."""
        if not reason.strip():
            raise ValueError("say why the authorisation is revoked")
        if self.revoked:
            return False
        self.revoked_by, self.revoked_at, self.revocation_reason = revoked_by, at, reason
        return True


@dataclass(frozen=True)
class PayoutReadiness:
    """Whether a payout to a payee may be prepared now; if not, every reason why."""
    reasons: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.reasons


@dataclass
class Payee:
    id: str
    case_id: str
    kind: PayeeKind
    name: str
    route: str  # the route money goes by; for suppliers and third parties bank_account or mobile_money
    details: dict = field(default_factory=dict)
    plan_line_id: str | None = None  # suppliers: the plan line they are paid for
    document: SupplierDocument | None = None  # suppliers: the invoice or quote
    authorisation: ThirdPartyAuthorisation | None = None  # third parties

    @classmethod
    def beneficiary(cls, payee_id: str, case_id: str, name: str, route: str, details: dict) -> "Payee":
        return cls(payee_id, case_id, PayeeKind.BENEFICIARY, name, route, dict(details))

    @classmethod
    def supplier(cls, payee_id: str, case_id: str, name: str, plan_line_id: str,
                 document: SupplierDocument, route: str, details: dict) -> "Payee":
        return cls(payee_id, case_id, PayeeKind.SUPPLIER, name, route, dict(details),
                   plan_line_id=plan_line_id, document=document)

    @classmethod
    def third_party(cls, payee_id: str, case_id: str, name: str, authorisation: ThirdPartyAuthorisation,
                    route: str, details: dict) -> "Payee":
        return cls(payee_id, case_id, PayeeKind.THIRD_PARTY, name, route, dict(details),
                   authorisation=authorisation)

    def payout_readiness(self) -> PayoutReadiness:
        """May a payout to this payee be prepared now? The route's own rules (country,
        payee kind, details) are `route_policy`'s and `payout_methods`' to check."""
        reasons = [] if self.name.strip() else ["the payee has no name"]
        reasons += _KIND_CHECKS[self.kind](self)
        return PayoutReadiness(tuple(reasons))


def _beneficiary_reasons(payee: Payee) -> list[str]:
    return []


def _supplier_reasons(payee: Payee) -> list[str]:
    reasons = []
    if not payee.plan_line_id:
        reasons.append("a supplier is paid for a plan line, and none is named")
    if payee.document is None:
        reasons.append("a supplier is paid against an invoice or quote, and none is recorded")
    return reasons


def _third_party_reasons(payee: Payee) -> list[str]:
    authorisation = payee.authorisation
    if authorisation is None:
        return ["no authorisation from the beneficiary is recorded for this third party"]
    if authorisation.revoked:
        return [f"the beneficiary's authorisation was revoked on {authorisation.revoked_at:%Y-%m-%d}"]
    if not authorisation.approved:
        return ["the beneficiary's authorisation awaits a supervisor's approval"]
    return []


_KIND_CHECKS = {PayeeKind.BENEFICIARY: _beneficiary_reasons, PayeeKind.SUPPLIER: _supplier_reasons,
                PayeeKind.THIRD_PARTY: _third_party_reasons}


# Who an instalment pays ---------------------------------------------------------------------

@dataclass(frozen=True)
class PayeeShare:
    """The part of an instalment that goes to one payee."""
    payee: Payee
    amount: Money


def share_instalment(left: Money, suppliers: list[tuple[Payee, Money]], rest_to: Payee) -> list[PayeeShare]:
    """How the `left` (not yet committed) part of an instalment is paid out.

    Suppliers are paid first, in the order given, each the part of its invoice or quote not
    yet committed to it (`suppliers` pairs each with what is committed), capped at what is
    left of the instalment; whatever remains goes to `rest_to`, the payee of the case's payout
    method. The money is the beneficiary's allowance either way: paying a supplier directly
    is paying their plan's equipment or training for them.
    """
    shares = []
    for supplier, committed in suppliers:
        amount = min(supplier.document.amount - committed, left)
        if amount.amount > 0:
            shares.append(PayeeShare(supplier, amount))
            left -= amount
    if left.amount > 0:
        shares.append(PayeeShare(rest_to, left))
    return shares


# Confirming the payee before paying ----------------------------------------------------------

class Decision(str, enum.Enum):
    PAY = "pay"
    HOLD_FOR_REVIEW = "hold_for_review"


@dataclass(frozen=True)
class PayeeConfirmation:
    decision: Decision
    reason: str


def confirm_payee(provider_name: str | None, payee_name: str) -> PayeeConfirmation:
    """Pay, or hold for review when the provider's account holder is someone else.

    `provider_name` is None when the route cannot look the holder up (cash pickup, where the
    agent checks the ID document instead; a card we issue ourselves): nothing to compare, so
    the payout goes ahead. An empty name from a route that can look it up is not "unknown":
    the provider holds no name for the account, which is held like a mismatch.
    """
    if provider_name is None:
        return PayeeConfirmation(Decision.PAY, "the route cannot look up the account holder")
    if payee_names.compare(provider_name, payee_name) == payee_names.MATCH:
        return PayeeConfirmation(Decision.PAY, "the account holder is the payee")
    return PayeeConfirmation(Decision.HOLD_FOR_REVIEW, "the account holder's name is not the payee's")


class HoldResolution(str, enum.Enum):
    RELEASED = "released"  # pay as it is: the reviewer is satisfied the account is the payee's
    REJECTED = "rejected"  # do not pay: the payout fails with account_holder_mismatch


class HoldAlreadyDecided(Exception):
    def __init__(self, hold: "PayoutHold"):
        super().__init__(f"the hold on payout {hold.payout_id} was already "
                         f"{hold.resolution.value} by {hold.decided_by}")
        self.hold = hold


@dataclass
class PayoutHold:
    """A payout held because the provider's account holder is not obviously the payee."""
    payout_id: str
    provider_name: str
    payee_name: str
    held_at: datetime.datetime
    resolution: HoldResolution | None = None
    decided_by: str | None = None
    decided_at: datetime.datetime | None = None
    why: str | None = None

    @property
    def pending(self) -> bool:
        return self.resolution is None

    def release(self, decided_by: str, why: str, at: datetime.datetime) -> None:
        self._decide(HoldResolution.RELEASED, decided_by, why, at)

    def reject(self, decided_by: str, why: str, at: datetime.datetime) -> None:
        self._decide(HoldResolution.REJECTED, decided_by, why, at)

    def _decide(self, resolution: HoldResolution, decided_by: str, why: str, at: datetime.datetime) -> None:
        if not self.pending:
            raise HoldAlreadyDecided(self)
        if not decided_by:
            raise ValueError("a hold is decided by a named person")
        if not why.strip():
            raise ValueError("say why the held payout is released or rejected")
        self.resolution, self.decided_by, self.decided_at, self.why = resolution, decided_by, at, why.strip()
