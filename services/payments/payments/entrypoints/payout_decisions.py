"""Finance decisions on failed payouts (re-route, return) and budget reports.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""


class PayoutDecisionEntrypoints:
    pass
