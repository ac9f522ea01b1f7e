"""Retry policy of consumers: bounded attempts with exponential backoff, then dead letter."""
from __future__ import annotations

from dataclasses import dataclass

DEAD_LETTER_QUEUE = "reintegra.dead_letters"
ATTEMPTS_HEADER = "x-reintegra-attempts"


class PermanentError(Exception):
    """Retrying cannot help (e.g. a message that breaks its contract): dead-letter at once."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    first_delay_ms: int = 500
    max_delay_ms: int = 60_000

    @classmethod
    def from_config(cls, config: dict) -> "RetryPolicy":
        settings = config.get("RETRY", {}) or {}
        return cls(**{k: int(v) for k, v in settings.items() if k in cls.__dataclass_fields__})

    def delay_ms(self, attempts_so_far: int) -> int:
        return min(self.first_delay_ms * 2 ** (attempts_so_far - 1), self.max_delay_ms)

    def gives_up(self, attempts_so_far: int, error: BaseException) -> bool:
        return isinstance(error, PermanentError) or attempts_so_far >= self.max_attempts
