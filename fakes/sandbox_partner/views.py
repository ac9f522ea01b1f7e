"""JSON shapes of stored transfers and vouchers, as the operator shows them to the payer.

Transfers follow MoMo's transfer result: no referenceId in the body (the caller knows it),
financialTransactionId only once SUCCESSFUL, ``reason`` only when FAILED.
"""
import json

from .clock import iso_utc
from .reasons import reason_body


def transfer_view(row: dict) -> dict:
    view = {
        "amount": row["amount"],
        "currency": row["currency"],
        "externalId": row["external_id"],
        "payee": _payee(row),
        "payerMessage": row["payer_message"],
        "payeeNote": row["payee_note"],
        "status": row["status"],
    }
    if row["status"] == "SUCCESSFUL":
        view["financialTransactionId"] = row["financial_transaction_id"]
    if row["status"] == "FAILED":
        view["reason"] = reason_body(row["reason_code"])
    return view


def voucher_view(row: dict) -> dict:
    view = {
        "referenceId": row["reference_id"],
        "externalId": row["external_id"],
        "voucherCode": row["voucher_code"],
        "amount": row["amount"],
        "currency": row["currency"],
        "recipient": {"givenName": row["given_name"], "familyName": row["family_name"]},
        "status": row["voucher_status"],
        "issuedAt": iso_utc(row["accepted_at"]),
        "expiresAt": iso_utc(row["expires_at"]),
    }
    if row["voucher_status"] == "COLLECTED":
        view["collectedAt"] = iso_utc(row["collected_at"])
        view["financialTransactionId"] = row["financial_transaction_id"]
    return view


def callback_payload(row: dict) -> dict:
    return voucher_view(row) if row["kind"] == "voucher" else transfer_view(row)


def stale_callback_payload(row: dict) -> dict:
    """The payload as it looked before settlement, for out-of-order delivery faults."""
    return callback_payload({**row, "status": "PENDING", "voucher_status": "ISSUED"})


def ledger_entry(row: dict) -> dict:
    entry = {"referenceId": row["reference_id"], "kind": row["kind"], **transfer_view(row),
             "submissions": row["submissions"], "acceptedAt": iso_utc(row["accepted_at"])}
    if row["kind"] == "voucher":
        entry["voucherStatus"] = row["voucher_status"]
        entry["voucherCode"] = row["voucher_code"]
    return entry


def _payee(row: dict) -> dict:
    if row["kind"] == "voucher":
        return {"partyIdType": "CASH_PICKUP", "partyId": row["voucher_code"]}
    return json.loads(row["payee_json"])
