"""Rules of a cash-pickup voucher: a single-use code, an ID check, and an expiry.

A voucher is ISSUED, then exactly one of COLLECTED, EXPIRED or CANCELLED, never changing
again: once it expired or was cancelled the money is the payer's again, so a late
collection would pay it twice.
"""
import hmac
import secrets

from .errors import PartnerError

# No 0/O, 1/I/L: agents read codes aloud and type them in.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

# What each final voucher state means for the transfer seen through the disbursement API.
TRANSFER_OUTCOME = {
    "COLLECTED": ("SUCCESSFUL", None),
    "EXPIRED": ("FAILED", "EXPIRED"),
    "CANCELLED": ("FAILED", "TRANSACTION_CANCELED"),
}


def generate_voucher_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def is_overdue(status: str, expires_at: int, now: int) -> bool:
    return status == "ISSUED" and now >= expires_at


def ensure_still_issued(status: str) -> None:
    if status != "ISSUED":
        raise PartnerError(409, f"VOUCHER_{status}", f"the voucher is {status} and cannot change")


def collection_refusal(status: str, document_on_file: str,
                       document_presented: str) -> PartnerError | None:
    """Why an agent must not pay this voucher out, or None when it may."""
    try:
        ensure_still_issued(status)
    except PartnerError as refusal:
        return refusal
    if not id_documents_match(document_on_file, document_presented):
        return PartnerError(422, "ID_DOCUMENT_MISMATCH", "the ID document does not match the voucher")
    return None


def id_documents_match(on_file: str, presented: str) -> bool:
    # Agents type numbers with spaces or dashes and in any case; compare in constant time anyway.
    return hmac.compare_digest(_canonical(on_file).encode(), _canonical(presented).encode())


def _canonical(document_number: str) -> str:
    return "".join(ch for ch in document_number.upper() if ch.isalnum())
