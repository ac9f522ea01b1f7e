"""Finance decisions on a failed payout: re-route it or return its money.

DOMAIN.md §4: "A failed payout returns its money to the reservation and may be re-routed —
never paid twice." When a payout fails, its instalment is due again with its money still
reserved, so the next batch would pay it again by the case's payout method. Finance may
decide first:

- **re-route**: the failed payout becomes `rerouted` and a replacement is prepared for the
  same money by another route, under the next sequence number (so a new idempotency key);
  the instalment is in payment again, and the replacement joins the next batch;
- **return**: the failed payout becomes `returned`; its money stays in the reservation, and
  the instalment is paid by a later batch — or, with `release_budget`, the money goes back
  to the programme's available budget and the instalment is closed (cancelled for what it
  did not pay).

Only the latest payout of an instalment is open to a decision: once a later batch has paid
(or is paying) the instalment again, the failed payout's money is with that payout, and
deciding on the old one would pay it twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from .instalments import Instalment, InstalmentStatus
from .payouts import InstalmentPayouts, Payout, PayoutStatus


class DecisionRefused(Exception):
    """Nothing was decided."""


class WrongState(DecisionRefused):
    """The payout (or its instalment) is not where the decision needs it: a conflict."""

    def __init__(self, message: str, payout: Payout):
        super().__init__(message)
        self.payout = payout


class RuleBroken(DecisionRefused):
    """The decision is well formed but a rule forbids it."""


@dataclass(frozen=True)
class Decision:
    """What was decided about one failed payout."""
    kind: str  # "rerouted" | "returned"
    route: str | None = None
    release_budget: bool = False


def superseding(group: InstalmentPayouts, payout: Payout) -> Payout | None:
    """The later payout of the same instalment that now carries its money, if any."""
    later = [p for p in group.payouts if p.sequence > payout.sequence]
    return max(later, key=lambda p: p.sequence) if later else None


def check_open(group: InstalmentPayouts, payout_id: str, wanted: Decision,
               earlier: Decision | None) -> bool:
    """Whether the decision must be made (True) or was already made the same way (False).

    Raises WrongState when the payout is not failed, was decided otherwise, or a later
    payout has taken its money."""
    payout = group.get(payout_id)
    if earlier is not None:
        if earlier == wanted:
            return False
        raise WrongState(f"payout {payout_id} was already {earlier.kind}", payout)
    if payout.status is not PayoutStatus.FAILED:
        raise WrongState(f"payout {payout_id} is {payout.status.value}, not failed", payout)
    later = superseding(group, payout)
    if later is not None:
        raise WrongState(f"payout {payout_id} was already re-paid by payout {later.id} "
                         f"({later.status.value})", payout)
    return True


def check_reroutable(instalment: Instalment, payout: Payout, method_route: str | None,
                     route: str) -> None:
    """A re-route pays the beneficiary by the payout method on file: it must be for `route`
    (which may be the failed one's, once a caseworker has corrected the details)."""
    if instalment.status is InstalmentStatus.CANCELLED:
        raise RuleBroken("the instalment was cancelled (the case was withdrawn or the plan "
                         "cancelled): its money was released, there is nothing to re-route")
    if instalment.status is not InstalmentStatus.DUE:
        raise WrongState(f"instalment {instalment.number} is {instalment.status.value}", payout)
    if payout.payee_id != payout.case_id:
        raise RuleBroken("only a payout to the beneficiary is re-routed here; a supplier or "
                         "third party is paid by its own payee details")
    if method_route != route:
        raise RuleBroken(f"the case's payout method is {method_route or 'not recorded'}: a "
                         f"caseworker must record its {route} details before re-routing")


def close_instalment(instalment: Instalment, payout: Payout):
    """Return with release: the instalment will not be paid again. Returns what it still
    held unpaid (to be released), or None if it was cancelled already (and released then)."""
    if instalment.status is InstalmentStatus.CANCELLED:
        return None
    if instalment.status is not InstalmentStatus.DUE:
        raise WrongState(f"instalment {instalment.number} is {instalment.status.value}: "
                         "another payout of it is on its way", payout)
    return instalment.cancel()
