"""Settles accepted transfers after the settle delay and expires overdue vouchers."""
from typing import Callable

from .background import WakeableLoop
from .clock import now_ms
from .store import PartnerStore


class Settler(WakeableLoop):
    def __init__(self, store: PartnerStore, on_settled: Callable[[], None]):
        super().__init__(name="settler")
        self._store = store
        self._on_settled = on_settled

    def work_once(self) -> int | None:
        now = now_ms()
        changed = self._store.settle_due(now) + self._store.expire_due_vouchers(now)
        if changed:
            self._on_settled()
        return self._store.next_settlement_at()
