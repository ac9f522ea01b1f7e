"""Applications and scoring weights in the database, mapped to the domain's objects."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa

from reintegra.money import Money

from plans.adapters.tables import applications, case_facts, programmes, scoring_weights
from plans.domain.application import Application, ApplicationStatus
from plans.domain.case_facts import CaseFacts, CaseStatus, VulnerabilityLevel
from plans.domain.scoring import CriteriaScores, Criterion, ScoringWeights


class ApplicationRepository:
    def __init__(self, session):
        self.session = session

    def for_case(self, case_id: str) -> Application | None:
        row = self.session.execute(sa.select(applications)
                                   .where(applications.c.case_id == case_id)).first()
        return _application(row) if row else None

    def of_programme(self, programme_id: str) -> list[Application]:
        rows = self.session.execute(sa.select(applications).where(
            applications.c.programme_id == programme_id)).all()
        return [_application(row) for row in rows]

    def add(self, application: Application, submitted_by: str, at: datetime) -> None:
        self.session.execute(applications.insert().values(
            id=application.id, case_id=application.case_id,
            programme_id=application.programme_id, submitted_by=submitted_by, created_at=at,
            **_row(application)))

    def save(self, application: Application) -> None:
        self.session.execute(applications.update().where(
            applications.c.id == application.id).values(**_row(application)))


class ProgrammeFacts:
    """What plans knows of programmes (from `programme_created`) and their weights."""

    def __init__(self, session):
        self.session = session

    def cap(self, programme_id: str) -> Money | None:
        row = self.session.execute(sa.select(programmes)
                                   .where(programmes.c.id == programme_id)).first()
        return Money(row.allowance_cap, row.currency) if row else None

    def latest_weights(self, programme_id: str) -> ScoringWeights | None:
        row = self.session.execute(
            sa.select(scoring_weights).where(scoring_weights.c.programme_id == programme_id)
            .order_by(scoring_weights.c.set_at.desc(), scoring_weights.c.version.desc())
            .limit(1)).first()
        return _weights(row) if row else None

    def weights_version_exists(self, programme_id: str, version: str) -> bool:
        return self.session.execute(sa.select(scoring_weights.c.version).where(
            scoring_weights.c.programme_id == programme_id,
            scoring_weights.c.version == version)).first() is not None

    def add_weights(self, programme_id: str, weights: ScoringWeights, set_by: str,
                    at: datetime) -> None:
        self.session.execute(scoring_weights.insert().values(
            programme_id=programme_id, version=weights.version, set_by=set_by, set_at=at,
            weights={criterion.value: weight for criterion, weight in weights.weights.items()}))


class CaseFactsRepository:
    def __init__(self, session):
        self.session = session

    def get(self, case_id: str) -> CaseFacts | None:
        row = self.session.execute(sa.select(case_facts)
                                   .where(case_facts.c.case_id == case_id)).first()
        if row is None:
            return None
        return CaseFacts(row.case_id, row.programme_id, CaseStatus(row.status),
                         VulnerabilityLevel(row.vulnerability_level))

    def add(self, facts: CaseFacts, intends_to_apply: bool) -> None:
        self.session.execute(case_facts.insert().values(
            case_id=facts.case_id, programme_id=facts.programme_id, status=facts.status.value,
            vulnerability_level=facts.vulnerability_level.value,
            intends_to_apply=intends_to_apply, updated_at=datetime.now(timezone.utc)))

    def save(self, facts: CaseFacts, **extra) -> None:
        self.session.execute(case_facts.update().where(case_facts.c.case_id == facts.case_id)
                             .values(status=facts.status.value,
                                     vulnerability_level=facts.vulnerability_level.value,
                                     updated_at=datetime.now(timezone.utc), **extra))


def _row(application: Application) -> dict:
    scores = application.scores
    return {
        "applied_on": application.applied_on, "interview_date": application.interview_date,
        "needs": application.needs, "skills": application.skills,
        "intended_use": application.intended_use,
        "household_situation": application.household_situation,
        "vulnerability_level": application.vulnerability_level.value,
        "requested_amount": application.requested_amount.amount,
        "currency": application.requested_amount.currency,
        "status": application.status.value,
        "scores": {c.value: scores.score_for(c) for c in Criterion} if scores else None,
        "score_tenths": int(application.score.scaleb(1)) if application.score is not None
        else None,
        "weights_version": application.weights_version,
        "evaluated_by": application.evaluated_by, "evaluated_at": application.evaluated_at,
        "decision_reason": application.decision_reason,
    }


def _application(row) -> Application:
    return Application(
        row.id, row.case_id, row.programme_id, row.applied_on, row.interview_date, row.needs,
        row.skills, row.intended_use, row.household_situation,
        VulnerabilityLevel(row.vulnerability_level), Money(row.requested_amount, row.currency),
        ApplicationStatus(row.status), CriteriaScores(**row.scores) if row.scores else None,
        Decimal(row.score_tenths).scaleb(-1) if row.score_tenths is not None else None,
        row.weights_version, row.evaluated_by, row.evaluated_at, row.decision_reason)


def _weights(row) -> ScoringWeights:
    return ScoringWeights(row.version, {Criterion(name): weight
                                        for name, weight in row.weights.items()})
