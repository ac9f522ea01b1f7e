"""The plans service's own Prometheus metrics (statuses and categories, never personal data).

The two gauges are recomputed from the database after each change (and by the timer), so
they stay true whatever process made the change and survive restarts.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from prometheus_client import Counter, Gauge

from plans.adapters.tables import applications, plan_versions, plans

APPLICATIONS = Gauge(
    "reintegra_plans_applications", "Applications for reintegration support, by status",
    ["status"])
PLANS_APPROVED = Counter(
    "reintegra_plans_approved_total", "Plan versions approved (brought into force)")
APPROVED_AMOUNT = Gauge(
    "reintegra_plans_approved_amount_minor",
    "Amount of the plan versions in force, in minor units, by line category",
    ["category", "currency"])
APPROVAL_RECOVERIES = Counter(
    "reintegra_plans_approval_recoveries_total",
    "Approval attempts left pending (e.g. by a crash) and compensated by the recovery timer",
    ["outcome"])


# Label sets reported so far: a category whose last plan was cancelled must drop to zero.
_reported: set[tuple[str, str]] = set()


def refresh(session) -> None:
    counts = dict(session.execute(sa.select(applications.c.status, sa.func.count())
                                  .group_by(applications.c.status)).all())
    for status in ("submitted", "evaluated", "supported", "not_supported"):
        APPLICATIONS.labels(status).set(counts.get(status, 0))
    amounts: dict = defaultdict(int)
    in_force = session.execute(
        sa.select(plans.c.currency, plan_versions.c.lines)
        .join(plan_versions, plan_versions.c.plan_id == plans.c.id)
        .where(plan_versions.c.status == "approved")).all()
    for currency, lines in in_force:
        for line in lines:
            amounts[(line["category"], currency)] += line["amount"]
    for category, currency in _reported - amounts.keys():
        APPROVED_AMOUNT.labels(category, currency).set(0)
    for (category, currency), amount in amounts.items():
        APPROVED_AMOUNT.labels(category, currency).set(amount)
    _reported.update(amounts)
