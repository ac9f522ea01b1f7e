"""Payments' Prometheus metrics. Labels carry routes, statuses and programme ids — never
anything about a person."""
from prometheus_client import Counter, Gauge, Histogram

PAYOUTS = Counter(
    "reintegra_payouts_total", "Payouts that reached a status", ["route", "status"])
AMOUNT_PAID = Counter(
    "reintegra_payouts_paid_minor_units_total", "Money paid out, in minor units",
    ["route", "currency"])
BATCH_PAYOUTS = Gauge(
    "reintegra_payout_batch_payouts", "Payouts of a batch by progress state",
    ["batch_id", "state"])
PROVIDER_LATENCY = Histogram(
    "reintegra_provider_call_seconds", "Time a payout provider took to answer",
    ["route", "call"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
PROVIDER_ERRORS = Counter(
    "reintegra_provider_errors_total", "Provider calls that could not be completed",
    ["route", "call", "error"])
BUDGET_AVAILABLE = Gauge(
    "reintegra_budget_available_minor_units", "Budget available per programme",
    ["programme_id", "currency"])
