"""Stripe's error responses: one exception type, rendered exactly as Stripe's v1 API does.

Stripe omits null members from the error hash, so an error without a `code` has no `code`
key at all; clients (the official SDK included) rely on that shape.
"""
import time

DOCS = "https://stripe.com/docs"


class StripeError(Exception):
    """An error answer, raised anywhere below the WSGI app and rendered by it."""

    def __init__(self, status, error_type, message, *, code=None, param=None,
                 decline_code=None, should_retry=None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.should_retry = should_retry

    def body(self, request_id):
        error = {
            "code": self.code,
            "decline_code": self.decline_code,
            "doc_url": _doc_url(self.code),
            "message": self.message,
            "param": self.param,
            "request_log_url": _request_log_url(request_id),
            "type": self.error_type,
        }
        return {"error": {key: value for key, value in error.items() if value is not None}}

    def headers(self):
        if self.should_retry is None:
            return {}
        return {"Stripe-Should-Retry": "true" if self.should_retry else "false"}


def _doc_url(code):
    return f"{DOCS}/error-codes/{code.replace('_', '-')}" if code else None


def _request_log_url(request_id):
    return f"https://dashboard.stripe.com/test/logs/{request_id}?t={int(time.time())}"


def invalid_request(message, *, code=None, param=None, status=400):
    return StripeError(status, "invalid_request_error", message, code=code, param=param)


def parameter_missing(param):
    return invalid_request(f"Missing required param: {param}.", code="parameter_missing", param=param)


def parameter_unknown(param):
    return invalid_request(f"Received unknown parameter: {param}", code="parameter_unknown", param=param)


def invalid_integer(param, value):
    return invalid_request(f"Invalid integer: {value}", code="parameter_invalid_integer", param=param)


def resource_missing(noun, object_id, *, param="id", status=404):
    return invalid_request(f"No such {noun}: '{object_id}'", code="resource_missing", param=param,
                           status=status)


def unrecognized_url(method, path):
    return invalid_request(
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can "
        "help at https://support.stripe.com/.", status=404)


def no_api_key():
    return invalid_request(
        "You did not provide an API key. You need to provide your API key in the Authorization header, "
        "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
        "https://stripe.com/docs/api#authentication for details, or we can help at "
        "https://support.stripe.com/.", status=401)


def invalid_api_key(key):
    return invalid_request(f"Invalid API Key provided: {_mask(key)}", status=401)


def _mask(key):
    """Stripe echoes a refused key with all but its type prefix and last four characters hidden."""
    if len(key) <= 12:
        return "*" * len(key)
    prefix = key[:8] if key.startswith(("sk_", "rk_")) else ""
    return prefix + "*" * (len(key) - len(prefix) - 4) + key[-4:]


def account_invalid(key, account):
    return StripeError(
        403, "invalid_request_error",
        f"The provided key '{_mask(key)}' does not have access to account '{account}' (or that account "
        "does not exist). Application access may have been revoked.", code="account_invalid")


def idempotency_params_mismatch(key):
    return StripeError(
        400, "idempotency_error",
        "Keys for idempotent requests can only be used with the same parameters they were first used "
        f"with. Try using a key other than '{key}' if you meant to execute a different request.")


def idempotency_endpoint_mismatch(key, first, now):
    return StripeError(
        400, "idempotency_error",
        "Keys for idempotent requests can only be used for the same endpoint they were first used for "
        f"('{first}' vs '{now}'). Try using a key other than '{key}' if you meant to execute a different "
        "request.")


def idempotency_key_in_use(key):
    return StripeError(
        409, "invalid_request_error",
        "There is currently another in-progress request using this Stripe-Idempotency-Key (that "
        "probably means you submitted twice, and the other request is still going through): "
        f"{key}. Please try again later.", code="idempotency_key_in_use", should_retry=True)


def rate_limited(should_retry=True):
    return StripeError(
        429, "invalid_request_error",
        "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
        code="rate_limit", should_retry=should_retry)


def lock_timeout(should_retry=True):
    return StripeError(
        429, "invalid_request_error",
        "This object cannot be accessed right now because another API request or Stripe process is "
        "currently accessing it. If you see this error intermittently, retry the request. If you see "
        "this error frequently and are making multiple concurrent requests to a single object, make "
        "your requests serially or at a lower rate. See https://stripe.com/docs/rate-limits for more "
        "details.", code="lock_timeout", should_retry=should_retry)


def api_error(should_retry=None):
    return StripeError(500, "api_error", "An unknown error occurred", should_retry=should_retry)


def card_declined(code="card_declined", decline_code="generic_decline", message="Your card was declined."):
    return StripeError(402, "card_error", message, code=code, decline_code=decline_code)


def balance_insufficient(message):
    return invalid_request(message, code="balance_insufficient")


PLATFORM_BALANCE_TOO_LOW = (
    "You have insufficient available funds in your Stripe account. Try adding funds directly to your "
    "available balance by creating Charges using the 4000000000000077 test card. See: "
    "https://stripe.com/docs/testing#available-balance")

PAYOUT_BALANCE_TOO_LOW = (
    "You have insufficient funds in your Stripe account for this transfer. Your card balance is too low.  "
    "You can use the /v1/balance endpoint to view your Stripe balance (for more details, see "
    "stripe.com/docs/api#balance).")
