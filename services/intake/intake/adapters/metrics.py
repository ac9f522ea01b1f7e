"""Intake's business metrics. Labels are programme codes, outcomes, states and reasons:
never a person, never a vulnerability factor."""
from prometheus_client import Counter

REGISTRATIONS = Counter(
    "intake_registrations_total", "Cases registered, by programme and outcome",
    ["programme", "outcome"])
TRANSITIONS = Counter(
    "intake_case_transitions_total", "Return-journey moves, by target state", ["to_status"])
DUPLICATE_CANDIDATES = Counter(
    "intake_duplicate_candidates_total", "Possible duplicates found at registration, by reason",
    ["reason"])
