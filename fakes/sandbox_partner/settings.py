"""Startup configuration of one sandbox partner process."""
from dataclasses import dataclass

DEFAULT_TOKEN = "sandbox-token"
DEFAULT_API_USER = "sandbox-api-user"
DEFAULT_API_KEY = "sandbox-api-key"


@dataclass
class PartnerSettings:
    token: str = DEFAULT_TOKEN
    api_user: str = DEFAULT_API_USER
    api_key: str = DEFAULT_API_KEY
    # Mutable at runtime through the control API; reset restores the startup value.
    settle_delay_ms: int = 1000
    callback_attempts: int = 5
    callback_backoff_ms: int = 200
    callback_timeout_s: float = 2.0
    voucher_validity_days: int = 30
