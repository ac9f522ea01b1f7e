"""Payouts: one instalment (or part of it) paid to one payee by one route, exactly once.

    prepared → released → submitted → paid
       │           │           └────→ failed → rerouted (a new payout for the same money)
       └───────────┼─────────────────→ failed (withdrawn: its plan was cancelled before release)
                   └─────────────────→ failed → returned (the money stays reserved)
                   └──→ held ─(released by a reviewer)─→ released
                          └──(rejected)──────────────→ failed (account_holder_mismatch)

A payout is held, before the provider is asked, when the provider's account holder is not
obviously the payee (`payees.confirm_payee`); a person releases it (it goes on to be paid) or
rejects it. Releasing a hold is a resumption, not a step back: `is_ahead` follows only the
forward edges, so a held payout is never "behind" released.

A payout never moves backwards. Provider reports (callbacks, webhooks, polls) may arrive
late, twice or out of order: one that would not move the payout forward is ignored and
reported as such (False, no event) — it is not an error.

The idempotency key is derived from (instalment id, payout sequence number), so it is
known, and stored, before the provider is ever called, and every retry of the same payout
sends the same key; a re-route is a new sequence number, hence a new key.
"""
from __future__ import annotations

import enum
import hashlib
import uuid
from dataclasses import dataclass, field

from reintegra.money import Money

from .events import PayoutFailed, PayoutPaid, PayoutReleased
from .instalments import OverPayment

_PAYOUT_NAMESPACE = uuid.UUID("c3a1e9b2-7f40-4d6a-9e25-58b0f3d1c6a7")


class PayoutStatus(str, enum.Enum):
    PREPARED = "prepared"
    RELEASED = "released"
    HELD = "held"
    SUBMITTED = "submitted"
    PAID = "paid"
    FAILED = "failed"
    REROUTED = "rerouted"
    RETURNED = "returned"


_FORWARD = {
    PayoutStatus.PREPARED: {PayoutStatus.RELEASED},
    # A provider may report the outcome before we recorded the submission (a crash
    # between its acceptance and our commit), so released may jump straight to the end.
    PayoutStatus.RELEASED: {PayoutStatus.SUBMITTED, PayoutStatus.PAID, PayoutStatus.FAILED,
                            PayoutStatus.HELD},
    # What a provider says still counts on a held payout: an earlier attempt may have reached
    # it before the payee check held a retry.
    PayoutStatus.HELD: {PayoutStatus.SUBMITTED, PayoutStatus.PAID, PayoutStatus.FAILED},
    PayoutStatus.SUBMITTED: {PayoutStatus.PAID, PayoutStatus.FAILED},
    PayoutStatus.FAILED: {PayoutStatus.REROUTED, PayoutStatus.RETURNED},
}
WITHDRAWN_BEFORE_RELEASE = "withdrawn_before_release"
PROVIDER_STATUSES = frozenset({PayoutStatus.SUBMITTED, PayoutStatus.PAID, PayoutStatus.FAILED})
# Payouts that no longer hold any of the instalment's money.
SPENT = frozenset({PayoutStatus.FAILED, PayoutStatus.REROUTED, PayoutStatus.RETURNED})
FINAL = frozenset({PayoutStatus.PAID, *SPENT})


def can_move(current: PayoutStatus, to: PayoutStatus) -> bool:
    """Whether `to` is one step forward from `current`."""
    return to in _FORWARD.get(current, ())


def is_ahead(current: PayoutStatus, reported: PayoutStatus) -> bool:
    """Whether `reported` lies anywhere on the forward path from `current`."""
    frontier = {current}
    while frontier:
        frontier = {to for status in frontier for to in _FORWARD.get(status, ())}
        if reported in frontier:
            return True
    return False


class IllegalPayoutTransition(Exception):
    pass


class UnknownPayout(Exception):
    pass


def idempotency_key_for(instalment_id: str, sequence: int) -> str:
    return hashlib.sha256(f"reintegra/payout/{instalment_id}/{sequence}".encode()).hexdigest()


def payout_id_for(instalment_id: str, sequence: int) -> str:
    return str(uuid.uuid5(_PAYOUT_NAMESPACE, f"{instalment_id}/{sequence}"))


@dataclass
class Payout:
    id: str
    instalment_id: str
    case_id: str
    payee_id: str
    route: str
    amount: Money
    sequence: int
    idempotency_key: str
    status: PayoutStatus = PayoutStatus.PREPARED
    batch_id: str | None = None
    provider_reference: str | None = None
    attempts: int = 0
    failure_reason: str | None = None
    rerouted_to: str | None = None
    events: list = field(default_factory=list, compare=False)

    def release(self, batch_id: str | None = None) -> bool:
        if not self._advance(PayoutStatus.RELEASED):
            return False
        self.batch_id = batch_id
        self.events.append(PayoutReleased(batch_id=batch_id, **self._announced()))
        return True

    def withdraw(self) -> bool:
        """Its plan or case was cancelled while the payout was only prepared: no provider has
        heard of it, so it fails here and never leaves (False if it is already on its way).
        Like `resume`, an edge of its own, not in _FORWARD: no provider report may take it."""
        if self.status is not PayoutStatus.PREPARED:
            return False
        self.status = PayoutStatus.FAILED
        self.failure_reason = WITHDRAWN_BEFORE_RELEASE
        self.events.append(PayoutFailed(reason=self.failure_reason, **self._announced()))
        return True

    def record_attempt(self) -> str:
        """Count a call to the provider; returns the key to send with it."""
        if self.status is not PayoutStatus.RELEASED:
            raise IllegalPayoutTransition(f"payout {self.id} is {self.status.value}")
        self.attempts += 1
        return self.idempotency_key

    def apply_provider_status(self, status: PayoutStatus, provider_reference: str | None = None,
                              failure_reason: str | None = None) -> bool:
        """Apply what the provider says; False (and no event) if it is stale or repeated."""
        if status not in PROVIDER_STATUSES or not self._advance(status):
            return False
        self.provider_reference = self.provider_reference or provider_reference
        if status is PayoutStatus.PAID:
            self.events.append(PayoutPaid(**self._announced()))
        if status is PayoutStatus.FAILED:
            self.failure_reason = failure_reason or "unspecified"
            self.events.append(PayoutFailed(reason=self.failure_reason, **self._announced()))
        return True

    def hold(self) -> bool:
        """Hold a released payout for review instead of asking the provider; False if it is
        no longer released (a report got there first)."""
        return self.status is PayoutStatus.RELEASED and self._advance(PayoutStatus.HELD)

    def resume(self) -> None:
        """A reviewer released the hold: the payout goes back to the runner, same key."""
        if self.status is not PayoutStatus.HELD:
            raise IllegalPayoutTransition(f"payout {self.id} is {self.status.value}, not held")
        # The one edge that is not forward (see the module docstring), so not in _FORWARD.
        self.status = PayoutStatus.RELEASED

    def mark_rerouted(self, replacement_id: str) -> bool:
        if self._close_failure(PayoutStatus.REROUTED):
            self.rerouted_to = replacement_id
            return True
        return False

    def mark_returned(self) -> bool:
        return self._close_failure(PayoutStatus.RETURNED)

    def _close_failure(self, to: PayoutStatus) -> bool:
        """Closing a failure is a finance decision: a repeat is a no-op, anything else wrong."""
        if self.status is to:
            return False
        if not self._advance(to):
            raise IllegalPayoutTransition(f"payout {self.id} is {self.status.value}, not failed")
        return True

    def _advance(self, to: PayoutStatus) -> bool:
        if not can_move(self.status, to):
            return False
        self.status = to
        return True

    def _announced(self) -> dict:
        return dict(payout_id=self.id, instalment_id=self.instalment_id, case_id=self.case_id,
                    route=self.route, amount=self.amount)


@dataclass
class InstalmentPayouts:
    """Every payout of one instalment; guards that they never pay more than it."""
    instalment_id: str
    case_id: str
    instalment_amount: Money
    payouts: list[Payout] = field(default_factory=list)

    @property
    def committed(self) -> Money:
        """Money held by payouts that have not failed: paid or on its way."""
        return sum((p.amount for p in self.payouts if p.status not in SPENT),
                   Money.zero(self.instalment_amount.currency))

    @property
    def paid(self) -> Money:
        return sum((p.amount for p in self.payouts if p.status is PayoutStatus.PAID),
                   Money.zero(self.instalment_amount.currency))

    @property
    def uncommitted(self) -> Money:
        return self.instalment_amount - self.committed

    def get(self, payout_id: str) -> Payout:
        for payout in self.payouts:
            if payout.id == payout_id:
                return payout
        raise UnknownPayout(payout_id)

    def prepare(self, payee_id: str, route: str, amount: Money | None = None) -> Payout:
        """A new payout for `amount` (default: all the instalment's uncommitted money)."""
        amount = self.uncommitted if amount is None else amount
        if amount.amount <= 0:
            raise ValueError(f"a payout must be of a positive amount, got {amount}")
        if amount > self.uncommitted:
            raise OverPayment(f"{amount} asked, {self.uncommitted} of the instalment left to pay")
        sequence = len(self.payouts) + 1
        payout = Payout(payout_id_for(self.instalment_id, sequence), self.instalment_id,
                        self.case_id, payee_id, route, amount, sequence,
                        idempotency_key_for(self.instalment_id, sequence))
        self.payouts.append(payout)
        return payout

    def reroute(self, payout_id: str, route: str, payee_id: str | None = None) -> Payout:
        """Pay a failed payout's money again by another route; a repeat returns the same one."""
        failed = self.get(payout_id)
        if failed.status is PayoutStatus.REROUTED:
            return self.get(failed.rerouted_to)
        if failed.status is not PayoutStatus.FAILED:
            raise IllegalPayoutTransition(f"payout {payout_id} is {failed.status.value}")
        replacement = self.prepare(payee_id or failed.payee_id, route, failed.amount)
        failed.mark_rerouted(replacement.id)
        return replacement

    def return_to_reservation(self, payout_id: str) -> bool:
        """A failed payout will not be re-routed: its money stays in the reservation."""
        return self.get(payout_id).mark_returned()
