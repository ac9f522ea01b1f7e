"""An honest fake of a mobile-money / cash-pickup payout partner, run as a real HTTP server.

Shaped like MTN MoMo's Disbursement API (reference-id idempotency, asynchronous settlement,
callbacks, KYC lookup) plus cash-pickup vouchers, with a loopback-only control API for fault
injection. Start it with ``python -m sandbox_partner --port P --data-dir DIR``; see README.md.
"""
