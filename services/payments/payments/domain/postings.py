"""The vocabulary of the budget ledger: accounts, postings, transactions.

Sign convention: a posting's amount is signed — a **debit is positive, a credit negative**
— so every balanced transaction sums to zero. The budget accounts (available, reserved,
paid, returned) are debit-normal: their balance is the sum of their postings and is
never negative. The funding account is the credit-normal counterpart of an allocation:
its balance is minus the budget ever allocated to that funding source.
"""
from __future__ import annotations

import enum
import hashlib
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from reintegra.money import Money

# Fixed, so that the same operation always yields the same transaction and posting ids: a
# replay after a crash collides with the stored rows instead of writing them twice.
_LEDGER_NAMESPACE = uuid.UUID("6f1d2c4e-59a3-4b8e-9a57-0c2f4e1b7a10")


class AccountKind(str, enum.Enum):
    FUNDING = "funding"
    AVAILABLE = "available"
    RESERVED = "reserved"
    PAID = "paid"
    RETURNED = "returned"


# Accounts whose money is earmarked for one reservation (a plan), tracked per reference.
EARMARKED = frozenset({AccountKind.RESERVED, AccountKind.PAID, AccountKind.RETURNED})


# Accounts and earmarks are dictionary keys looked up several times per posting: named
# tuples hash and compare in C, where a frozen dataclass builds a tuple in Python each time.
class Account(NamedTuple):
    programme_id: str
    funding_source: str
    kind: AccountKind


class Posting(NamedTuple):
    """One leg of a transaction. `country` (the case's return country) and `route` (how a
    payout went) are report dimensions, written with the posting and never changed: the
    budget report by country and by route is a sum over postings, not a second counter.

    Immutable like the other ledger values; a named tuple because every paid payout makes
    four of them, and a frozen dataclass sets each field through object.__setattr__."""
    id: str
    transaction_id: str
    account: Account
    amount: Money
    operation: str
    reference: str
    country: str | None = None
    route: str | None = None


@dataclass(frozen=True)
class Transaction:
    id: str
    operation_id: str
    operation: str
    programme_id: str
    reference: str
    postings: tuple[Posting, ...]
    reverses: str | None = None


class Earmark(NamedTuple):
    """The part of a reserved, paid or returned account that belongs to one reference."""
    account: Account
    reference: str


@dataclass(frozen=True)
class OperationReceipt:
    """The journal entry of one operation: its id, a digest of its data, its transaction."""
    operation_id: str
    fingerprint: str
    transaction: Transaction


def transaction_id_for(operation_id: str) -> str:
    return _uuid5(operation_id)


def posting_id_for(operation_id: str, index: int) -> str:
    return _uuid5(f"{operation_id}/{index}")


_NAMESPACE_BYTES = _LEDGER_NAMESPACE.bytes


def _uuid5(name: str) -> str:
    """`str(uuid.uuid5(_LEDGER_NAMESPACE, name))` without building UUID objects (RFC 4122:
    SHA-1 of namespace and name, version and variant bits set); five per payout paid."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def split_by_weights(amount: Money, weights: list[int]) -> list[Money]:
    """Split `amount` in proportion to `weights`, exactly, by largest remainder.

    Leftover cents go to the parts with the largest fractional share (earlier parts win
    ties). Unlike "remainder to the last part", no part ever exceeds its weight when the
    amount does not exceed the sum of the weights — so splitting a payment across the
    funding sources of a reservation never takes more from a source than it holds.
    """
    total = sum(weights)
    if total <= 0:
        raise ValueError(f"weights must have a positive sum, got {weights}")
    shares = [divmod(amount.amount * weight, total) for weight in weights]
    parts = [whole for whole, _ in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: -shares[i][1])
    for index in by_remainder[: amount.amount - sum(parts)]:
        parts[index] += 1
    return [Money(part, amount.currency) for part in parts]
