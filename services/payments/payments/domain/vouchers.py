"""Cash pickup vouchers: a single-use code the payee shows, with their ID, at a partner's agent.

The partner draws the code (cryptographically random, single use) when payments asks it to
pay by cash pickup, and refuses it once it has expired. Payments fixes the expiry: the
programme's `voucher_expiry_days` after the batch is released (default below). An expired,
uncollected voucher comes back as a failed payout (`voucher_expired`): its money stays in the
reservation, the instalment is due again, and the next batch pays it as a NEW payout (new
sequence, new idempotency key, new code). Because a failed payout never becomes paid, one
instalment is never paid by two vouchers.
"""
DEFAULT_EXPIRY_DAYS = 30
