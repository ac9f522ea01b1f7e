"""Cash pickup vouchers: a single-use code the payee shows, with their ID, at a partner's agent.

    issued → collected
       ├───→ expired   (not collected in time: the money goes back to the reservation)
       └───→ cancelled (withdrawn by us before collection)

A code is 12 characters shown as `XXXX-XXXX-XXXX`: 11 drawn with `secrets` from an alphabet
without look-alikes (no 0/O, 1/I/L) and a check character, so an agent typing it wrong is
told at once instead of paying the wrong voucher. A voucher is collectable until its expiry
(a programme setting, default 30 days after issue) and not at that instant.

Never both paid. An expired voucher may be re-issued as a NEW voucher: new code, new payout
(the engine's re-route, hence a new payout sequence and idempotency key). What the engine must do:

1. Before expiring a voucher, ask the partner for its status. Expire it only when the partner
   says it is uncollected, and void it at the partner, so an agent can no longer pay it. The
   payout then fails with `voucher_expired` and its money returns to the reservation.
2. Re-issue only from an expired (or cancelled) voucher that has not been re-issued yet;
   `VoucherChain` refuses anything else, so one instalment never has two vouchers that can
   be collected.
3. A "collected" report is applied with `VoucherChain.report_collected`. The answer says what
   to do: `PAY` — mark the voucher's payout paid; `ALREADY_COLLECTED` — a repeat of a report
   already applied or already flagged, nothing to do; `CONFLICT` — the partner says an
   expired or cancelled voucher was paid out. Do NOT mark any payout paid (the payout state
   machine would ignore it anyway: failed never becomes paid). Record the conflict for
   finance (who reconciles with the partner and recovers any double payment) and, when
   `cancel_replacement` names a still-uncollected replacement, cancel that voucher at once,
   at the partner and here, since the payee already has the money.
   If the replacement is collected anyway, the answer is `PAY` (its money did leave) together
   with a second conflict for finance: both were paid out and one must be recovered.
4. Codes are unique across the programme, not just the instalment: the engine draws them with
   `new_code(is_taken)` against its stored codes (and a unique constraint backs that up).
"""
from __future__ import annotations

import datetime
import enum
import secrets
from dataclasses import dataclass, field
from typing import Callable

from reintegra.money import Money

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, a prime: the check catches swaps
RANDOM_LENGTH = 11
CODE_LENGTH = RANDOM_LENGTH + 1
DEFAULT_EXPIRY_DAYS = 30
_MAX_DRAWS = 20


class VoucherStatus(str, enum.Enum):
    ISSUED = "issued"
    COLLECTED = "collected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class VoucherError(Exception):
    pass


class InvalidVoucherCode(VoucherError, ValueError):
    pass


class IllegalVoucherTransition(VoucherError):
    pass


class CannotReissue(VoucherError):
    pass


def check_character(body: str) -> str:
    """Weighted sum modulo 31 with weights 1..11: any single wrong character, and any two
    of the body's characters swapped, give another check character."""
    total = sum(weight * ALPHABET.index(char) for weight, char in enumerate(body, 1))
    return ALPHABET[total % len(ALPHABET)]


def new_code(is_taken: Callable[[str], bool] = lambda code: False) -> str:
    """A fresh random code that `is_taken` (the codes already issued) does not know."""
    for _ in range(_MAX_DRAWS):
        body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        code = body + check_character(body)
        if not is_taken(code):
            return code
    # 31**11 codes: twenty collisions in a row means `is_taken` is broken, not bad luck.
    raise RuntimeError(f"no free voucher code after {_MAX_DRAWS} draws")


def normalise_code(typed: str) -> str:
    """The code as stored, from what an agent or payee typed (any case, spaces, hyphens);
    `InvalidVoucherCode` if it cannot be a voucher code."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH:
        raise InvalidVoucherCode(f"a voucher code has {CODE_LENGTH} characters, not {len(code)}")
    unknown = sorted(set(code) - set(ALPHABET))
    if unknown:
        raise InvalidVoucherCode(f"a voucher code has no {', '.join(unknown)}")
    if check_character(code[:-1]) != code[-1]:
        raise InvalidVoucherCode("the voucher code is mistyped (check character does not match)")
    return code


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


@dataclass
class Voucher:
    code: str
    payout_id: str
    amount: Money
    issued_at: datetime.datetime
    expires_at: datetime.datetime
    status: VoucherStatus = VoucherStatus.ISSUED
    collected_at: datetime.datetime | None = None
    replaced_by: str | None = None  # the code of the voucher re-issued in its place

    @classmethod
    def issue(cls, payout_id: str, amount: Money, issued_at: datetime.datetime,
              expiry_days: int = DEFAULT_EXPIRY_DAYS, code: str | None = None) -> "Voucher":
        if expiry_days < 1:
            raise ValueError(f"a voucher must be valid for at least a day, not {expiry_days}")
        if issued_at.tzinfo is None:
            raise ValueError("voucher times are timezone-aware (UTC), so expiry means the same everywhere")
        return cls(normalise_code(code or new_code()), payout_id, amount, issued_at,
                   issued_at + datetime.timedelta(days=expiry_days))

    def collectable_at(self, at: datetime.datetime) -> bool:
        return self.status is VoucherStatus.ISSUED and at < self.expires_at

    def expire(self, now: datetime.datetime) -> None:
        if self.status is not VoucherStatus.ISSUED:
            raise IllegalVoucherTransition(f"voucher is {self.status.value}, not issued")
        if now < self.expires_at:
            raise IllegalVoucherTransition(f"voucher is valid until {self.expires_at.isoformat()}")
        self.status = VoucherStatus.EXPIRED

    def cancel(self) -> None:
        if self.status is not VoucherStatus.ISSUED:
            raise IllegalVoucherTransition(f"voucher is {self.status.value}, not issued")
        self.status = VoucherStatus.CANCELLED


class Collection(str, enum.Enum):
    PAY = "pay"
    ALREADY_COLLECTED = "already_collected"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class VoucherConflict:
    """A collection reported for a voucher that should not have been paid: for finance."""
    code: str
    payout_id: str
    reported_collected_at: datetime.datetime
    reason: str
    replacement_code: str | None
    cancel_replacement: str | None  # the replacement's code, when it must be cancelled now


@dataclass(frozen=True)
class CollectionOutcome:
    collection: Collection
    voucher: Voucher
    conflict: VoucherConflict | None = None


@dataclass
class VoucherChain:
    """The cash vouchers of one instalment's payout, oldest first: at most one can be
    collected at any time, and at most one is ever paid."""
    instalment_id: str
    vouchers: list[Voucher] = field(default_factory=list)
    conflicts: list[VoucherConflict] = field(default_factory=list)

    @property
    def current(self) -> Voucher | None:
        return self.vouchers[-1] if self.vouchers else None

    def get(self, code: str) -> Voucher:
        code = normalise_code(code)
        for voucher in self.vouchers:
            if voucher.code == code:
                return voucher
        raise KeyError(f"no voucher {display_code(code)} for instalment {self.instalment_id}")

    def issue(self, payout_id: str, amount: Money, now: datetime.datetime,
              expiry_days: int = DEFAULT_EXPIRY_DAYS, code: str | None = None) -> Voucher:
        """The instalment's first voucher."""
        if self.vouchers:
            raise CannotReissue("this instalment already has a voucher: re-issue it instead")
        return self._add(Voucher.issue(payout_id, amount, now, expiry_days, code))

    def reissue(self, payout_id: str, now: datetime.datetime,
                expiry_days: int = DEFAULT_EXPIRY_DAYS, code: str | None = None) -> Voucher:
        """A new voucher (new code, for the re-routed payout `payout_id`) in place of the
        current one, which must be expired or cancelled and uncollected."""
        previous = self.current
        if previous is None:
            raise CannotReissue("there is no voucher to re-issue")
        if previous.status not in (VoucherStatus.EXPIRED, VoucherStatus.CANCELLED):
            raise CannotReissue(f"the current voucher is {previous.status.value}: only an expired "
                                "or cancelled voucher is re-issued")
        if payout_id == previous.payout_id:
            raise CannotReissue("a re-issued voucher belongs to a new payout (new sequence and key)")
        used = {voucher.code for voucher in self.vouchers}
        replacement = Voucher.issue(payout_id, previous.amount, now, expiry_days,
                                    code or new_code(used.__contains__))
        if replacement.code in used:
            raise CannotReissue("a re-issued voucher needs a new code")
        previous.replaced_by = replacement.code
        return self._add(replacement)

    def report_collected(self, code: str, collected_at: datetime.datetime) -> CollectionOutcome:
        """Apply the partner's "collected"; see the module docstring for what to do with it."""
        voucher = self.get(code)
        if voucher.status is VoucherStatus.COLLECTED:
            return CollectionOutcome(Collection.ALREADY_COLLECTED, voucher)
        if voucher.status is VoucherStatus.ISSUED:
            # The partner's word is the fact: if its agent paid a little after expiry, before
            # we expired or re-issued anything, the payee got the money exactly once.
            voucher.status, voucher.collected_at = VoucherStatus.COLLECTED, collected_at
            return CollectionOutcome(Collection.PAY, voucher, self._paid_twice(voucher, collected_at))
        known = next((c for c in self.conflicts if c.code == voucher.code), None)
        if known is not None:
            return CollectionOutcome(Collection.ALREADY_COLLECTED, voucher, known)
        return CollectionOutcome(Collection.CONFLICT, voucher,
                                 self._record(self._late_collection(voucher, collected_at)))

    def _paid_twice(self, voucher: Voucher, collected_at: datetime.datetime) -> VoucherConflict | None:
        """A replacement collected after an earlier voucher was reported collected: its payout
        is paid (the money did leave), and finance must recover the other one."""
        if not self.conflicts:
            return None
        earlier = ", ".join(display_code(c.code) for c in self.conflicts)
        return self._record(VoucherConflict(
            voucher.code, voucher.payout_id, collected_at,
            f"collected although {earlier} of the same instalment was reported collected too",
            None, None))

    def _late_collection(self, voucher: Voucher, collected_at: datetime.datetime) -> VoucherConflict:
        replacement = self._replacement_of(voucher)
        live = replacement if replacement and replacement.status is VoucherStatus.ISSUED else None
        if replacement is not None:
            reason = (f"{voucher.status.value} voucher reported collected after it was re-issued; "
                      f"the replacement is {replacement.status.value}")
        else:
            reason = f"{voucher.status.value} voucher reported collected; its money was returned to the reservation"
        return VoucherConflict(voucher.code, voucher.payout_id, collected_at, reason,
                               replacement.code if replacement else None, live.code if live else None)

    def _replacement_of(self, voucher: Voucher) -> Voucher | None:
        """The voucher that ended up replacing `voucher` (the last of its re-issues)."""
        index = self.vouchers.index(voucher)
        return self.vouchers[-1] if index < len(self.vouchers) - 1 else None

    def _record(self, conflict: VoucherConflict) -> VoucherConflict:
        self.conflicts.append(conflict)
        return conflict

    def _add(self, voucher: Voucher) -> Voucher:
        self.vouchers.append(voucher)
        return voucher
