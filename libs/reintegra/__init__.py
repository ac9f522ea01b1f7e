"""Reintegra's small shared library: message contracts, Money, messaging and metrics helpers.

Only what every service truly shares lives here; business rules belong to the services.
"""
