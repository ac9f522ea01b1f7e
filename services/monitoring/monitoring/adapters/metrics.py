"""Monitoring's Prometheus metrics: the operations view of each programme. Labels carry
programme ids, routes, statuses and currencies — never anything about a person.

The gauges are set from the read model after each event (not counted as events arrive), so
they stay true with redelivered events and out-of-order arrivals.
"""
from __future__ import annotations

from prometheus_client import Gauge

PAYOUTS = Gauge(
    "reintegra_operations_payouts", "Payouts of a programme by route and latest status",
    ["programme_id", "route", "status"])
PAID = Gauge(
    "reintegra_operations_paid_minor_units", "Money paid out, in minor units",
    ["programme_id", "route", "currency"])
BUDGET = Gauge(
    "reintegra_operations_budget_minor_units",
    "Budget reserved and released for plans, in minor units",
    ["programme_id", "currency", "movement"])
AWAITING = Gauge(
    "reintegra_operations_instalments_awaiting_payment",
    "Instalments that fell due and are not paid yet", ["programme_id"])


def report(summary: dict) -> None:
    """Set the gauges of one programme from its `operations_summary`."""
    programme_id = summary["programme_id"]
    for route in summary["routes"]:
        for status, count in route["payouts"].items():
            PAYOUTS.labels(programme_id, route["route"], status).set(count)
        for paid in route["paid"]:
            PAID.labels(programme_id, route["route"], paid["currency"]).set(paid["amount"])
    for budget in summary["budget"]:
        for movement in ("reserved", "released"):
            BUDGET.labels(programme_id, budget["currency"], movement).set(budget[movement])
    AWAITING.labels(programme_id).set(summary["instalments"]["awaiting_payment"])
