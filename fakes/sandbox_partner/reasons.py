"""Failure reasons a transfer can end with, named as MTN MoMo names them."""

FAILURE_REASONS = {
    "PAYEE_NOT_FOUND": "The payee is not registered for mobile money.",
    "PAYEE_NOT_ALLOWED_TO_RECEIVE": "The payee's wallet cannot receive funds.",
    "NOT_ENOUGH_FUNDS": "The payer account does not have enough funds.",
    "PAYER_LIMIT_REACHED": "The payer's transaction limit is reached.",
    "NOT_ALLOWED": "The partner account is not allowed to perform this transaction.",
    "COULD_NOT_PERFORM_TRANSACTION": "The transaction could not be performed.",
    "INTERNAL_PROCESSING_ERROR": "The operator failed to process the transaction.",
    "SERVICE_UNAVAILABLE": "The wallet platform was unavailable.",
    "EXPIRED": "The voucher expired before it was collected.",
    "TRANSACTION_CANCELED": "The voucher was cancelled by the payer.",
}


def reason_body(code: str) -> dict:
    return {"code": code, "message": FAILURE_REASONS[code]}
