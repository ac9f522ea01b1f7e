"""Applications for reintegration support: submission with evaluation, weights, ranking."""
from __future__ import annotations

import uuid
from datetime import datetime

from reintegra.contracts.errors import Conflict, Forbidden, NotFound
from reintegra.money import Money

from plans.adapters.application_repository import ApplicationRepository, ProgrammeFacts
from plans.adapters.plan_repository import PlanRepository
from plans.domain.application import Application
from plans.domain.four_eyes import CASE_STAFF, Actor
from plans.domain.ranking import rank_applications
from plans.domain.scoring import CriteriaScores, Criterion, ScoringWeights
from plans.service_layer.lookups import cap_of, case_of
from plans.service_layer.views import application_view, ranked_view

# Used for a programme until an admin sets its own weights (docs/plans.md). Needs and
# vulnerability weigh most because support is for those who need it most; a plan that can
# last and can be followed up matters next; skills least, since training can be funded.
DEFAULT_WEIGHTS = ScoringWeights("default-1", {
    Criterion.NEEDS: 30, Criterion.VULNERABILITY: 25,
    Criterion.SUSTAINABILITY_AND_FEASIBILITY: 20, Criterion.SKILLS: 15,
    Criterion.MONITORING_AVAILABLE: 10})


def submit_application(uow, case_id: str, request: dict, actor: Actor, now: datetime) -> dict:
    """`request` is the parsed body: interview_date (date), texts, scores, requested_amount."""
    if actor.role not in CASE_STAFF:
        raise Forbidden("only caseworkers and supervisors record applications")
    case = case_of(uow.session, case_id)
    applications = ApplicationRepository(uow.session)
    existing = applications.for_case(case_id)
    if existing is not None:
        raise Conflict(f"case {case_id} already has application {existing.id}",
                       details={"application_id": existing.id})
    programmes = ProgrammeFacts(uow.session)
    cap = cap_of(uow.session, case.programme_id)
    application = Application.submit(
        str(uuid.uuid4()), case, applied_on=now.date(),
        interview_date=request["interview_date"], needs=request["needs"],
        skills=request.get("skills", ""), intended_use=request["intended_use"],
        household_situation=request.get("household_situation", ""),
        requested_amount=request.get("requested_amount") or cap)
    application.evaluate(CriteriaScores(**request["scores"]),
                         weights_for(programmes, case.programme_id), actor.user_id, now)
    applications.add(application, actor.user_id, now)
    return application_view(application)


def application_of_case(session, case_id: str) -> dict:
    application = ApplicationRepository(session).for_case(case_id)
    if application is None:
        raise NotFound(f"case {case_id} has no application")
    return application_view(application)


def ranking(session, programme_id: str, available: Money) -> dict:
    """Evaluated applications best first, with what each needs and whether `available`
    (what payments says is left of the programme budget) still covers it."""
    applications = ApplicationRepository(session).of_programme(programme_id)
    by_id = {a.id: a for a in applications}
    totals = PlanRepository(session).current_totals(programme_id)
    plan_totals = {a.id: totals[a.case_id] for a in applications if a.case_id in totals}
    ranked = rank_applications(applications, available, plan_totals)
    ranked_ids = {entry.application_id for entry in ranked}
    return {"programme_id": programme_id, "available": available.to_dict(),
            "items": [ranked_view(entry, by_id[entry.application_id]) for entry in ranked],
            "not_ranked": [{"application_id": a.id, "case_id": a.case_id,
                            "status": a.status.value}
                           for a in sorted(applications, key=lambda a: a.id)
                           if a.id not in ranked_ids]}


def weights_for(programmes: ProgrammeFacts, programme_id: str) -> ScoringWeights:
    return programmes.latest_weights(programme_id) or DEFAULT_WEIGHTS


def current_weights(session, programme_id: str) -> dict:
    programmes = ProgrammeFacts(session)
    cap_of(session, programme_id)
    return _weights_view(programme_id, weights_for(programmes, programme_id))


def set_weights(uow, programme_id: str, weights: dict, version: str | None, actor: Actor,
                now: datetime) -> dict:
    """A new version of a programme's weights; earlier scores keep the version they used."""
    programmes = ProgrammeFacts(uow.session)
    cap_of(uow.session, programme_id)
    version = version or f"{now:%Y%m%dT%H%M%S}"
    if version == DEFAULT_WEIGHTS.version or programmes.weights_version_exists(programme_id,
                                                                               version):
        raise Conflict(f"weights version {version} already exists for this programme")
    new = ScoringWeights(version, {Criterion(name): value for name, value in weights.items()})
    programmes.add_weights(programme_id, new, actor.user_id, now)
    return _weights_view(programme_id, new)


def _weights_view(programme_id: str, weights: ScoringWeights) -> dict:
    return {"programme_id": programme_id, "version": weights.version,
            "weights": {c.value: weights.weight_for(c) for c in Criterion}}

