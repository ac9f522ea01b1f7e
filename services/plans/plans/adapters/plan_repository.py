"""Plans and their versions in the database, mapped to and from the domain's `Plan`."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from reintegra.money import Money

from plans.adapters.tables import plan_versions, plans
from plans.domain.plan import Plan, PlanVersion, VersionStatus
from plans.domain.plan_lines import Category, PlanLine, Supplier

_VERSION_FIELDS = ("status", "drafted_by", "drafted_at", "revision_reason", "submitted_by",
                   "submitted_at", "approved_by", "approved_at", "auto_approved",
                   "reservation_id", "rejected_by", "rejected_at", "rejection_reason",
                   "cancelled_at")
_TIMES = ("drafted_at", "submitted_at", "approved_at", "rejected_at", "cancelled_at")


class PlanRepository:
    def __init__(self, session):
        self.session = session

    def get(self, plan_id: str, for_update: bool = False) -> Plan | None:
        """`for_update` locks the plan's row until commit (PostgreSQL; SQLite's
        BEGIN IMMEDIATE already serialises writers), so two approvals queue up."""
        query = sa.select(plans).where(plans.c.id == plan_id)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return self._load(row) if row else None

    def for_case(self, case_id: str, for_update: bool = False) -> Plan | None:
        query = sa.select(plans).where(plans.c.case_id == case_id)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return self._load(row) if row else None

    def current_totals(self, programme_id: str) -> dict[str, Money]:
        """The total of each open plan's current version, by case id."""
        latest = (sa.select(plan_versions.c.plan_id, sa.func.max(plan_versions.c.number)
                            .label("number")).group_by(plan_versions.c.plan_id).subquery())
        rows = self.session.execute(
            sa.select(plans.c.case_id, plans.c.currency, plan_versions.c.total)
            .join(plan_versions, plan_versions.c.plan_id == plans.c.id)
            .join(latest, sa.and_(latest.c.plan_id == plan_versions.c.plan_id,
                                  latest.c.number == plan_versions.c.number))
            .where(plans.c.programme_id == programme_id, plans.c.cancelled_at.is_(None))).all()
        return {r.case_id: Money(r.total, r.currency) for r in rows}

    def add(self, plan: Plan) -> None:
        self.session.execute(plans.insert().values(
            id=plan.id, case_id=plan.case_id, programme_id=plan.programme_id,
            currency=plan.currency, created_at=plan.versions[0].drafted_at))
        self.save(plan)

    def save(self, plan: Plan) -> None:
        self.session.execute(plans.update().where(plans.c.id == plan.id).values(
            cancelled_at=plan.cancelled_at, cancellation_reason=plan.cancellation_reason))
        stored = set(self.session.execute(sa.select(plan_versions.c.number)
                                          .where(plan_versions.c.plan_id == plan.id)).scalars())
        for version in plan.versions:
            values = _version_row(version)
            if version.number in stored:
                self.session.execute(plan_versions.update().where(
                    plan_versions.c.plan_id == plan.id,
                    plan_versions.c.number == version.number).values(**values))
            else:
                self.session.execute(plan_versions.insert().values(
                    plan_id=plan.id, number=version.number, **values))

    def _load(self, row) -> Plan:
        versions = self.session.execute(sa.select(plan_versions).where(
            plan_versions.c.plan_id == row.id).order_by(plan_versions.c.number)).all()
        return Plan(row.id, row.case_id, row.programme_id, row.currency,
                    [_version(v, row.currency) for v in versions],
                    _aware(row.cancelled_at), row.cancellation_reason)


def _version_row(version: PlanVersion) -> dict:
    values = {name: getattr(version, name) for name in _VERSION_FIELDS}
    values["status"] = version.status.value
    values["lines"] = [_line_row(line) for line in version.lines]
    values["total"] = version.total.amount
    return values


def _line_row(line: PlanLine) -> dict:
    supplier = ({"name": line.supplier.name, "reference": line.supplier.reference}
                if line.supplier else None)
    return {"category": line.category.value, "description": line.description,
            "amount": line.amount.amount, "supplier": supplier,
            "justification": line.justification}


def _version(row, currency: str) -> PlanVersion:
    values = {name: getattr(row, name) for name in _VERSION_FIELDS}
    values.update({name: _aware(values[name]) for name in _TIMES})
    values["status"] = VersionStatus(row.status)
    lines = tuple(_line(line, currency) for line in row.lines)
    return PlanVersion(row.number, lines, Money(row.total, currency), **values)


def _line(data: dict, currency: str) -> PlanLine:
    supplier = Supplier(data["supplier"]["name"], data["supplier"].get("reference")) \
        if data.get("supplier") else None
    return PlanLine(Category(data["category"]), data["description"],
                    Money(data["amount"], currency), supplier, data.get("justification"))


def _aware(value: datetime | None) -> datetime | None:
    # SQLite gives timestamps back without their zone; every one we store is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
