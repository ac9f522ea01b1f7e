"""A local Stripe test server: an honest fake of the Stripe API parts Reintegra's payouts use.

Run it with `python -m stripe_server --port P` (see README.md). In-process pieces for tests:
`signing.sign` (webhook signatures), `testing.running_server` (start one as a subprocess).
"""
