"""Payees of a case and the authorisations of trusted third parties.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""


class PayeeEntrypoints:
    pass
