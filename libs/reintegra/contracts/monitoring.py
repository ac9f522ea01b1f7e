"""Events announced by monitoring: follow-up after return."""
from __future__ import annotations

from reintegra.contracts.fields import ID, DATE

CONTRACTS: dict[tuple[str, str], dict[int, dict]] = {
    ("monitoring", "monitoring_contact_completed"): {1: {
        "case_id": ID, "contact_id": ID, "completed_on": DATE,
        "month": {"type": "integer", "required": True, "min": 0}}},
    ("monitoring", "case_recorded"): {1: {"case_id": ID, "programme_id": ID}},
}
