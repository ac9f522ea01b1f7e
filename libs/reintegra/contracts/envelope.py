"""The envelope every event travels in.

`event_id` makes consumers idempotent, `v` versions the data contract (fields are only ever
added, so a v1 consumer can read v2 data), `actor` says who caused it (ids and role only).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

ENVELOPE_SCHEMA = {
    "event_id": {"type": "string", "required": True, "regex": "^[0-9a-f-]{36}$"},
    "event_type": {"type": "string", "required": True, "regex": "^[a-z][a-z0-9_]*$"},
    "v": {"type": "integer", "required": True, "min": 1},
    "source": {"type": "string", "required": True},
    "occurred_at": {"type": "string", "required": True},
    "actor": {
        "type": "dict", "nullable": True, "required": True,
        "schema": {"id": {"type": "string", "required": True},
                   "role": {"type": "string", "required": True}},
    },
    "data": {"type": "dict", "required": True},
}


@dataclass(frozen=True)
class Envelope:
    event_id: str
    event_type: str
    v: int
    source: str
    occurred_at: str
    actor: dict | None
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        # Not dataclasses.asdict: its deep copy was a tenth of a payout's cost. `data` is the
        # caller's own dict, serialised to JSON straight after.
        return {"event_id": self.event_id, "event_type": self.event_type, "v": self.v,
                "source": self.source, "occurred_at": self.occurred_at, "actor": self.actor,
                "data": self.data}

    @classmethod
    def from_dict(cls, body: dict) -> "Envelope":
        return cls(**{k: body[k] for k in ENVELOPE_SCHEMA})


def new_envelope(source: str, event_type: str, data: dict, actor: dict | None = None,
                 v: int = 1, now: datetime | None = None) -> Envelope:
    at = (now or datetime.now(timezone.utc)).isoformat()
    # Only who acted, by id and role, ever travels: whatever else a caller dict holds stays.
    actor = None if actor is None else {"id": str(actor["id"]), "role": str(actor["role"])}
    return Envelope(time_ordered_id(), event_type, v, source, at, actor, data)


def time_ordered_id() -> str:
    """A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.

    Event ids are unique keys in every outbox and inbox; a random (version 4) id put each new
    row at a random place of those indexes, so a batch's thousands of events dirtied as many
    pages. Ids that grow with time are appended together. Still unguessable enough for an
    idempotency key, and the time in it is the `occurred_at` the envelope carries anyway."""
    random_bits = _RANDOM.next_80_bits()
    value = ((time.time_ns() // 1_000_000) & _MILLISECONDS) << 80
    value |= 0x7 << 76 | (random_bits >> 62 & 0xFFF) << 64  # version 7, rand_a
    value |= 0b10 << 62 | random_bits & _RAND_B  # RFC variant, rand_b
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class _RandomBits:
    """The operating system's random bytes, fetched 256 ids' worth at a time: a payout batch
    makes two events per payout, and a system call for each id's ten bytes cost more than
    the rest of the id. A forked child starts with a buffer of its own, never its parent's."""

    _BYTES_PER_ID = 10
    _IDS_PER_FETCH = 256

    def __init__(self):
        self._lock = threading.Lock()
        self._buffer = memoryview(b"")
        self._used = 0

    def next_80_bits(self) -> int:
        with self._lock:
            if self._used >= len(self._buffer):
                self._buffer = memoryview(os.urandom(self._BYTES_PER_ID * self._IDS_PER_FETCH))
                self._used = 0
            start, self._used = self._used, self._used + self._BYTES_PER_ID
            return int.from_bytes(self._buffer[start:self._used], "big")

    def forget(self) -> None:
        self._buffer, self._used = memoryview(b""), 0


_RANDOM = _RandomBits()
os.register_at_fork(after_in_child=_RANDOM.forget)
_MILLISECONDS = (1 << 48) - 1
_RAND_B = (1 << 62) - 1
