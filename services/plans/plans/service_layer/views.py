"""How plans and applications are shown to callers (plain JSON-ready dicts)."""
from __future__ import annotations

from plans.domain.application import Application
from plans.domain.plan import Plan, PlanVersion
from plans.domain.plan_budget import reservation_id_for
from plans.domain.plan_lines import PlanLine
from plans.domain.ranking import RankedApplication


def plan_view(plan: Plan) -> dict:
    in_force = plan.version_in_force
    return {
        "id": plan.id, "case_id": plan.case_id, "programme_id": plan.programme_id,
        "status": plan.status.value, "current_version": plan.current_version.number,
        "version_in_force": in_force.number if in_force else None,
        "total": plan.current_version.total.to_dict(),
        "reservation_id": reservation_id_for(plan.id) if in_force else None,
        "cancelled_at": _time(plan.cancelled_at),
        "cancellation_reason": plan.cancellation_reason,
        # Newest first, like every list of the API; each version is its own history entry.
        "versions": [_version_view(v) for v in reversed(plan.versions)],
    }


def _version_view(version: PlanVersion) -> dict:
    return {
        "version": version.number, "status": version.status.value,
        "total": version.total.to_dict(), "lines": [_line_view(line) for line in version.lines],
        "revision_reason": version.revision_reason,
        "drafted_by": version.drafted_by, "drafted_at": _time(version.drafted_at),
        "submitted_by": version.submitted_by, "submitted_at": _time(version.submitted_at),
        "approved_by": version.approved_by, "approved_at": _time(version.approved_at),
        "auto_approved": version.auto_approved, "reservation_id": version.reservation_id,
        "rejected_by": version.rejected_by, "rejected_at": _time(version.rejected_at),
        "rejection_reason": version.rejection_reason,
        "cancelled_at": _time(version.cancelled_at),
    }


def _line_view(line: PlanLine) -> dict:
    return {"category": line.category.value, "description": line.description,
            "amount": line.amount.to_dict(),
            "supplier": ({"name": line.supplier.name, "reference": line.supplier.reference}
                         if line.supplier else None),
            "justification": line.justification}


def application_view(application: Application) -> dict:
    scores = application.scores
    return {
        "id": application.id, "case_id": application.case_id,
        "programme_id": application.programme_id, "status": application.status.value,
        "applied_on": application.applied_on.isoformat(),
        "interview_date": application.interview_date.isoformat(),
        "needs": application.needs, "skills": application.skills,
        "intended_use": application.intended_use,
        "household_situation": application.household_situation,
        "vulnerability_level": application.vulnerability_level.value,
        "requested_amount": application.requested_amount.to_dict(),
        "scores": {name: getattr(scores, name) for name in scores.__dataclass_fields__}
        if scores else None,
        "score": str(application.score) if application.score is not None else None,
        "weights_version": application.weights_version,
        "evaluated_by": application.evaluated_by, "evaluated_at": _time(application.evaluated_at),
        "decision_reason": application.decision_reason,
    }


def ranked_view(entry: RankedApplication, application: Application) -> dict:
    return {"rank": entry.rank, "application_id": entry.application_id,
            "case_id": application.case_id, "score": str(entry.score),
            "vulnerability_level": application.vulnerability_level.value,
            "applied_on": application.applied_on.isoformat(),
            "weights_version": application.weights_version,
            "needed": entry.needed.to_dict(), "covered": entry.covered,
            "remaining_after": entry.remaining_after.to_dict()}


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None
