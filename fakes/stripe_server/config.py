"""Settings of one server process: command-line flags end up here."""
from dataclasses import dataclass, field

# The version stripe-python 16.1.0 pins; used when a request names none and in events.
DEFAULT_API_VERSION = "2026-10-28.endive"


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 0
    fixtures_path: str | None = None
    # Empty: any test-mode secret or restricted key (sk_test_..., rk_test_...) is accepted.
    api_keys: tuple = ()
    api_version: str = DEFAULT_API_VERSION
    platform_country: str = "DE"
    # Opening available balances, in minor units. Generous so tests need not fund the platform.
    platform_balance: dict = field(default_factory=lambda: {"eur": 100_000_000, "usd": 100_000_000})
    issuing_balance: dict = field(default_factory=lambda: {"eur": 10_000_000})
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_attempts: int = 3
    webhook_retry_delay: float = 0.2
    # Seconds after which payouts settle (paid or failed) and automatic payouts are created.
    # None: nothing happens by itself; tests drive the lifecycle through the control API.
    settle_after: float | None = None
