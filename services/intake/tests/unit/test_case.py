import json
from datetime import date, datetime, timedelta, timezone

import pytest

from intake.domain.case import Case, SensitiveDetails
from intake.domain.eligibility import EligibilityDecision
from intake.domain.errors import (IllegalTransition, InvalidTransitionData,
                                  InvalidVulnerabilityFactors, NothingToDecide, NotPermitted)
from intake.domain.events import CaseEvent
from intake.domain.journey import CaseStatus as S
from intake.domain.vulnerability import VulnerabilityFactor as F, VulnerabilityLevel as L

AT = datetime(2024, 6, 15, 10, 30, tzinfo=timezone.utc)
ELIGIBLE = EligibilityDecision(True)


def register(person, **overrides):
    arguments = dict(case_id="case-1", programme_id="arvore-ix", person=person,
                     eligibility=ELIGIBLE, actor_id="cw-1", actor_role="caseworker", at=AT)
    return Case.register(**(arguments | overrides))


def walk_to_closed(case, reason_prefix=""):
    case.transition("counselled", actor_id="cw-1", actor_role="caseworker", at=AT)
    case.transition("return_approved", actor_id="sup-1", actor_role="supervisor", at=AT)
    case.transition("travel_booked", actor_id="cw-1", actor_role="caseworker", at=AT,
                    data={"travel_date": date(2024, 7, 1), "destination_airport": "GRU"})
    later = AT + timedelta(days=20)
    case.transition("departed", actor_id="cw-1", actor_role="caseworker", at=later)
    case.transition("arrived", actor_id="cw-1", actor_role="caseworker", at=later,
                    data={"arrival_date": date(2024, 7, 2)})
    case.transition("closed", actor_id="cw-1", actor_role="caseworker", at=later,
                    reason=reason_prefix + "monitoring ended")


def test_an_eligible_person_is_registered_and_assigned_to_the_caseworker(make_person):
    case = register(make_person())
    assert case.status is S.REGISTERED
    assert case.assigned_caseworker_id == "cw-1"
    assert [(t.from_status, t.to_status, t.actor_id) for t in case.history] == [
        (None, S.REGISTERED, "cw-1")]


def test_registration_records_a_case_registered_event(make_person):
    case = register(make_person())
    assert [e.name for e in case.events] == ["case_registered"]
    assert case.events[0].to_message() == {
        "case_id": "case-1", "programme_id": "arvore-ix",
        "occurred_at": "2024-06-15T10:30:00+00:00", "status": "registered",
        "vulnerability_level": "none", "return_country": "BR"}


def test_an_ineligible_person_is_registered_as_rejected_with_the_reasons(make_person):
    decision = EligibilityDecision(False, ["nationality PT is excluded", "age 17 is too low"])
    case = register(make_person(nationality="PT"), eligibility=decision)
    assert case.status is S.REJECTED
    assert case.eligibility_reasons == ("nationality PT is excluded", "age 17 is too low")
    assert case.history[0].reason == "nationality PT is excluded; age 17 is too low"
    assert case.events[0].data["status"] == "rejected"


def test_sensitive_factors_are_kept_apart_from_the_others(make_person):
    case = register(make_person(), vulnerability_factors=[
        "pregnant", "victim_of_trafficking", "physical_or_mental_illness"])
    assert case.vulnerability_factors == {F.PREGNANT}
    assert case.sensitive.factors == {F.VICTIM_OF_TRAFFICKING, F.PHYSICAL_OR_MENTAL_ILLNESS}
    assert case.is_protected


def test_a_case_without_sensitive_factors_is_not_protected(make_person):
    assert not register(make_person(), vulnerability_factors=["homeless"]).is_protected


def test_sensitive_details_refuse_ordinary_factors():
    with pytest.raises(ValueError, match="homeless"):
        SensitiveDetails(frozenset({F.HOMELESS}))


def test_sensitive_details_never_show_in_a_repr(make_person):
    case = register(make_person(), vulnerability_factors=["victim_of_trafficking"])
    assert "trafficking" not in repr(case.sensitive)
    assert repr(case) == "Case(id='case-1', programme_id='arvore-ix', status=registered)"


def test_age_65_plus_cannot_be_declared(make_person):
    with pytest.raises(InvalidVulnerabilityFactors) as refused:
        register(make_person(), vulnerability_factors=["aged_65_plus"])
    assert list(refused.value.errors) == ["vulnerability_factors"]


@pytest.mark.parametrize("factors,text", [(["other"], None), (["other"], "  "),
                                          (["homeless"], "lives in a car")])
def test_other_and_its_text_go_together(make_person, factors, text):
    with pytest.raises(InvalidVulnerabilityFactors) as refused:
        register(make_person(), vulnerability_factors=factors, vulnerability_other_text=text)
    assert list(refused.value.errors) == ["vulnerability_other_text"]


def test_the_level_counts_sensitive_and_derived_factors(make_person):
    elderly = make_person(date_of_birth=date(1950, 1, 1))
    case = register(elderly, vulnerability_factors=["victim_of_trafficking"])
    assert case.counted_vulnerability_factors(AT.date()) == {
        F.VICTIM_OF_TRAFFICKING, F.AGED_65_PLUS}
    assert case.vulnerability_level(AT.date()) is L.HIGH


def test_turning_65_changes_the_level_on_the_birthday(make_person):
    case = register(make_person(date_of_birth=date(1959, 6, 16)))
    assert case.vulnerability_level(date(2024, 6, 15)) is L.NONE
    assert case.vulnerability_level(date(2024, 6, 16)) is L.MEDIUM


def test_an_other_factor_counts_once_a_supervisor_approves_it(make_person):
    case = register(make_person(), vulnerability_factors=["other"],
                    vulnerability_other_text="  threatened by a creditor ")
    assert case.other_vulnerability.text == "threatened by a creditor"
    assert case.vulnerability_level(AT.date()) is L.NONE

    case.approve_other_vulnerability("sup-1", "supervisor", AT)

    assert case.vulnerability_level(AT.date()) is L.LOW


def test_a_declined_other_factor_never_counts(make_person):
    case = register(make_person(), vulnerability_factors=["other"],
                    vulnerability_other_text="x")
    case.decline_other_vulnerability("sup-1", "supervisor", AT)
    assert F.OTHER not in case.counted_vulnerability_factors(AT.date())


def test_a_caseworker_cannot_approve_an_other_factor(make_person):
    case = register(make_person(), vulnerability_factors=["other"],
                    vulnerability_other_text="x")
    with pytest.raises(NotPermitted):
        case.approve_other_vulnerability("cw-1", "caseworker", AT)


def test_there_is_nothing_to_approve_without_an_other_factor(make_person):
    with pytest.raises(NothingToDecide):
        register(make_person()).approve_other_vulnerability("sup-1", "supervisor", AT)


@pytest.mark.parametrize("actor_id,role,allowed", [
    ("cw-1", "caseworker", True),
    ("cw-2", "caseworker", False),
    ("sup-9", "supervisor", True),
    ("fin-1", "finance_officer", False),
    ("aud-1", "auditor", False),
    ("cw-1", "operations", False),
])
def test_only_the_assigned_caseworker_and_supervisors_see_sensitive_details(
        make_person, actor_id, role, allowed):
    assert register(make_person()).may_view_sensitive(actor_id, role) is allowed


def test_the_full_journey_records_one_event_per_move(make_person):
    case = register(make_person())
    walk_to_closed(case)
    assert case.status is S.CLOSED
    assert [e.name for e in case.events] == [
        "case_registered", "case_counselled", "case_return_approved", "case_travel_booked",
        "case_departed", "case_arrived", "case_closed"]
    assert [t.to_status for t in case.history][-1] is S.CLOSED
    assert len(case.history) == 7


def test_journey_events_carry_the_dates_other_services_need(make_person):
    case = register(make_person())
    walk_to_closed(case)
    messages = {e.name: e.to_message() for e in case.events}
    assert messages["case_travel_booked"]["travel_date"] == "2024-07-01"
    assert messages["case_travel_booked"]["destination_airport"] == "GRU"
    assert messages["case_arrived"]["arrival_date"] == "2024-07-02"
    assert messages["case_arrived"]["from_status"] == "departed"


def test_an_arrival_before_the_booked_travel_date_is_refused(make_person):
    case = register(make_person())
    case.transition("counselled", actor_id="cw-1", actor_role="caseworker", at=AT)
    case.transition("return_approved", actor_id="sup-1", actor_role="supervisor", at=AT)
    case.transition("travel_booked", actor_id="cw-1", actor_role="caseworker", at=AT,
                    data={"travel_date": date(2024, 6, 10), "destination_airport": "GRU"})
    case.transition("departed", actor_id="cw-1", actor_role="caseworker", at=AT)
    with pytest.raises(InvalidTransitionData):
        case.transition("arrived", actor_id="cw-1", actor_role="caseworker", at=AT,
                        data={"arrival_date": date(2024, 6, 9)})
    assert case.booked_travel_date == date(2024, 6, 10)


def test_a_refused_move_changes_nothing(make_person):
    case = register(make_person())
    with pytest.raises(IllegalTransition):
        case.transition("arrived", actor_id="cw-1", actor_role="caseworker", at=AT,
                        data={"arrival_date": AT.date()})
    assert case.status is S.REGISTERED
    assert len(case.history) == 1
    assert len(case.events) == 1


def test_a_withdrawal_keeps_its_reason_in_the_history_but_not_in_the_event(make_person):
    case = register(make_person())
    case.transition("withdrawn", actor_id="cw-1", actor_role="caseworker", at=AT,
                    reason="wants to stay near her daughter")
    assert case.history[-1].reason == "wants to stay near her daughter"
    assert "daughter" not in json.dumps(case.events[-1].to_message())


def test_events_never_carry_personal_or_sensitive_details(make_person):
    person = make_person(given_names="Khadija", family_names="Benali")
    case = register(person, vulnerability_factors=[
        "victim_of_trafficking", "physical_or_mental_illness", "substance_dependence",
        "disability", "pregnant", "other"], vulnerability_other_text="fled a forced marriage")
    case.approve_other_vulnerability("sup-1", "supervisor", AT)
    walk_to_closed(case, reason_prefix="recovered from hepatitis; ")

    published = json.dumps([e.to_message() for e in case.events]).lower()

    forbidden = [f.value for f in F] + [
        "khadija", "benali", "1990-05-17", "fz123456", "+5562912345678", "goiânia",
        "forced marriage", "hepatitis"]
    assert [word for word in forbidden if word in published] == []
    assert {e.data["vulnerability_level"] for e in case.events} == {"high"}


def test_an_event_refuses_fields_outside_its_contract():
    with pytest.raises(ValueError, match="given_names"):
        CaseEvent("case_registered", "case-1", "arvore-ix", AT, {"given_names": "Ana"})


def test_an_event_refuses_nested_values():
    with pytest.raises(ValueError):
        CaseEvent("case_registered", "case-1", "arvore-ix", AT, {"status": {"a": 1}})
