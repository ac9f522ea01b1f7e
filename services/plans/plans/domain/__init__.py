"""The plans service's business rules: applications, ranking, plans and their approval.

Imports only the standard library and `reintegra.money`, so every rule here is tested
without a database or a broker.
"""
