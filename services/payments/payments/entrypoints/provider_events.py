"""Provider webhooks (Stripe) applied once by event id, and payee holds.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""


class ProviderEventEntrypoints:
    pass
