"""Stripe's webhook signature scheme, for the server and for tests that forge or tamper deliveries.

Stripe signs `"{t}.{payload}"` with HMAC-SHA256 keyed by the endpoint secret (the whole
`whsec_...` string, prefix included) and sends `Stripe-Signature: t=<t>,v1=<hex>`. This is what
`stripe.Webhook.construct_event` verifies.
"""
import hashlib
import hmac
import time


def compute_signature(payload, secret, timestamp):
    """Hex HMAC-SHA256 of `{timestamp}.{payload}`; `payload` is the exact body bytes (or str)."""
    body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    signed = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(payload, secret, timestamp=None):
    """The `Stripe-Signature` header value for `payload`, signed at `timestamp` (default: now)."""
    moment = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={moment},v1={compute_signature(payload, secret, moment)}"
