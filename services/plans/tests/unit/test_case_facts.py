import pytest

from plans.domain.case_facts import CaseStatus, VulnerabilityLevel


@pytest.mark.parametrize("status", [CaseStatus.RETURN_APPROVED, CaseStatus.TRAVEL_BOOKED,
                                    CaseStatus.DEPARTED, CaseStatus.ARRIVED])
def test_a_case_is_open_for_application_from_return_approval_until_closure(case_facts, status):
    assert case_facts(status).open_for_application


@pytest.mark.parametrize("status", [CaseStatus.REGISTERED, CaseStatus.COUNSELLED,
                                    CaseStatus.CLOSED, CaseStatus.WITHDRAWN,
                                    CaseStatus.REJECTED])
def test_a_case_is_not_open_for_application_before_return_approval_or_once_ended(
        case_facts, status):
    assert not case_facts(status).open_for_application


def test_a_later_status_from_an_event_moves_the_case_forward(case_facts):
    case = case_facts(CaseStatus.RETURN_APPROVED)
    case.record_status(CaseStatus.DEPARTED)
    assert case.status == CaseStatus.DEPARTED


def test_a_late_event_with_an_earlier_status_does_not_move_the_case_back(case_facts):
    case = case_facts(CaseStatus.ARRIVED)
    case.record_status(CaseStatus.TRAVEL_BOOKED)
    assert case.status == CaseStatus.ARRIVED


def test_a_withdrawal_is_recorded_from_any_open_status(case_facts):
    case = case_facts(CaseStatus.TRAVEL_BOOKED)
    case.record_status(CaseStatus.WITHDRAWN)
    assert case.status == CaseStatus.WITHDRAWN


@pytest.mark.parametrize("final", [CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.REJECTED])
def test_a_final_status_is_never_overwritten(case_facts, final):
    case = case_facts(final)
    case.record_status(CaseStatus.ARRIVED)
    assert case.status == final


def test_only_an_arrived_case_counts_as_arrived_for_revisions(case_facts):
    assert case_facts(CaseStatus.ARRIVED).is_arrived
    assert not case_facts(CaseStatus.DEPARTED).is_arrived
    assert not case_facts(CaseStatus.CLOSED).is_arrived


def test_the_vulnerability_level_follows_the_latest_assessment(case_facts):
    case = case_facts(level=VulnerabilityLevel.LOW)
    case.record_vulnerability(VulnerabilityLevel.HIGH)
    assert case.vulnerability_level == VulnerabilityLevel.HIGH


def test_vulnerability_levels_order_from_none_to_high():
    levels = sorted(VulnerabilityLevel, key=lambda level: level.severity)
    assert [level.value for level in levels] == ["none", "low", "medium", "high"]
