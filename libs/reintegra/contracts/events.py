"""The data contracts of every event, by (source service, event type) and version.

Rules: ids, dates, amounts and codes only; never names, contact details or sensitive facts
(trafficking, health, substance dependence). A vulnerability *level* is the most an event
may say about vulnerability. Fields are only ever added: a change is a new version whose
schema is a superset of the previous one.
"""
from __future__ import annotations

from reintegra.contracts import intake, monitoring, payments, plans

# Each source service's contracts live in a module of their own.
CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    **intake.CONTRACTS, **plans.CONTRACTS, **payments.CONTRACTS, **monitoring.CONTRACTS}

# Event types whose consumers compete for them one message at a time.
WORK_ORDERS: set[tuple[str, str]] = {*payments.WORK_ORDERS}
