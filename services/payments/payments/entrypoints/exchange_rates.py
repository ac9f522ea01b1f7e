"""Exchange rates: the ECB daily file and manual entry by finance.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""


class ExchangeRateEntrypoints:
    pass
