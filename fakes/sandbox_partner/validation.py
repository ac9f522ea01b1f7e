"""Checks the operator applies before it accepts a request, failing with MoMo-style codes.

Amounts travel as strings of integer minor units ("150000" is EUR 1,500.00): a string keeps
large values exact in every JSON parser, and minor units keep floats away from money.
"""
import json
import re
import uuid
from urllib.parse import urlsplit

from .clock import parse_iso_utc
from .errors import bad_request

_MINOR_UNITS = re.compile(r"[1-9][0-9]{0,17}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_MSISDN = re.compile(r"\+?[1-9][0-9]{6,14}")
_TEXT_LIMIT = 160
_NAME_LIMIT = 100


def reference_id(header: str | None) -> str:
    try:
        return str(uuid.UUID(header or ""))
    except ValueError:
        raise bad_request("INVALID_REFERENCE_ID", "X-Reference-Id must be a UUID") from None


def callback_url(header: str | None) -> str | None:
    if header is None:
        return None
    parts = urlsplit(header)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("INVALID_CALLBACK_URL_HOST", "X-Callback-Url must be an http(s) URL")
    return header


def json_object(raw: bytes) -> dict:
    try:
        body = json.loads(raw)
    except ValueError:
        raise bad_request("BAD_REQUEST", "the body must be JSON") from None
    if not isinstance(body, dict):
        raise bad_request("BAD_REQUEST", "the body must be a JSON object")
    return body


def fingerprint(body: dict) -> str:
    """What makes two submissions under one reference id "the same request"."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def normalise_msisdn(msisdn: str) -> str:
    return msisdn.removeprefix("+")


def transfer_fields(body: dict) -> dict:
    return {**_money_fields(body), "payee": _payee(body.get("payee")), **_notes(body)}


def voucher_fields(body: dict, now: int, default_expires_at: int) -> dict:
    return {
        **_money_fields(body),
        **_notes(body),
        "recipient": _recipient(body.get("recipient")),
        "expires_at": _expires_at(body.get("expiresAt"), now, default_expires_at),
    }


def _money_fields(body: dict) -> dict:
    amount, currency = body.get("amount"), body.get("currency")
    if not (isinstance(amount, str) and _MINOR_UNITS.fullmatch(amount)):
        raise bad_request("INVALID_AMOUNT", "amount must be a string of positive integer minor units")
    if not (isinstance(currency, str) and _CURRENCY.fullmatch(currency)):
        raise bad_request("INVALID_CURRENCY", "currency must be an ISO 4217 code")
    return {"amount": amount, "currency": currency, "external_id": _external_id(body.get("externalId"))}


def _external_id(value) -> str:
    if not (isinstance(value, str) and 0 < len(value) <= _TEXT_LIMIT):
        raise bad_request("BAD_REQUEST", "externalId is required (at most 160 characters)")
    return value


def _payee(payee) -> dict:
    if not isinstance(payee, dict) or payee.get("partyIdType") != "MSISDN":
        raise bad_request("INVALID_PAYEE", "payee must be {partyIdType: MSISDN, partyId}")
    party_id = payee.get("partyId")
    if not (isinstance(party_id, str) and _MSISDN.fullmatch(party_id)):
        raise bad_request("INVALID_PAYEE", "payee.partyId must be an E.164 phone number")
    return {"partyIdType": "MSISDN", "partyId": party_id}


def _notes(body: dict) -> dict:
    return {"payer_message": _optional_text(body, "payerMessage"),
            "payee_note": _optional_text(body, "payeeNote")}


def _optional_text(body: dict, field: str) -> str | None:
    value = body.get(field)
    if value is not None and not (isinstance(value, str) and len(value) <= _TEXT_LIMIT):
        raise bad_request("BAD_REQUEST", f"{field} must be a string of at most 160 characters")
    return value


def _recipient(recipient) -> dict:
    if not isinstance(recipient, dict):
        raise bad_request("INVALID_RECIPIENT", "recipient is required")
    document = recipient.get("idDocument")
    if not isinstance(document, dict):
        raise bad_request("INVALID_RECIPIENT", "recipient.idDocument {type, number} is required")
    return {"given_name": _name(recipient.get("givenName"), "givenName"),
            "family_name": _name(recipient.get("familyName"), "familyName"),
            "id_document_type": _name(document.get("type"), "idDocument.type"),
            "id_document_number": _name(document.get("number"), "idDocument.number")}


def _name(value, field: str) -> str:
    if not (isinstance(value, str) and value.strip() and len(value) <= _NAME_LIMIT):
        raise bad_request("INVALID_RECIPIENT", f"recipient {field} is required")
    return value.strip()


def _expires_at(value, now: int, default: int) -> int:
    if value is None:
        return default
    try:
        expires_at = parse_iso_utc(value) if isinstance(value, str) else None
    except ValueError:
        expires_at = None
    if expires_at is None or expires_at <= now:
        raise bad_request("INVALID_EXPIRY", "expiresAt must be a future ISO-8601 time with an offset")
    return expires_at
