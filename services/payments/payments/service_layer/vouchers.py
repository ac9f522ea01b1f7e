"""Cash pickup vouchers as staff see them.

The caseworker hands the code to the person (who shows it with their ID at the partner's
agent), and finance reconciles vouchers with the partner: both see the whole code, but only
while the voucher can be collected (its payout is with the partner, not yet paid or failed).
Everyone else, and everyone once the voucher is collected, expired or cancelled, sees it
masked to its last three characters: enough to tell vouchers apart, useless to an agent.
"""
from __future__ import annotations

SEES_LIVE_CODES = frozenset({"caseworker", "finance_officer"})
_LIVE = "submitted"  # the payout status while the partner holds an uncollected voucher
_SHOWN = 3


def voucher_view(collection: dict | None, payout_status: str, role: str | None) -> dict | None:
    """The voucher of a cash pickup payout, None before the partner issued it."""
    if not collection or not collection.get("voucher_code"):
        return None
    code = collection["voucher_code"]
    visible = payout_status == _LIVE and role in SEES_LIVE_CODES
    return {"code": code if visible else mask(code), "masked": not visible,
            "expires_at": collection.get("expires_at"), "collectable": payout_status == _LIVE}


def mask(code: str) -> str:
    return "*" * max(len(code) - _SHOWN, 0) + code[-_SHOWN:]
