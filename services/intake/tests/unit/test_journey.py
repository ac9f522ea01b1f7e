from datetime import date, datetime, timedelta, timezone
from itertools import product

import pytest

from intake.domain.errors import IllegalTransition, InvalidTransitionData, NotPermitted
from intake.domain.journey import (ALLOWED_TRANSITIONS, CaseStatus, Transition,
                                   allowed_targets, apply_transition)

S = CaseStatus
AT = datetime(2024, 6, 15, 10, 30, tzinfo=timezone.utc)

LEGAL_MOVES = {
    (S.REGISTERED, S.COUNSELLED), (S.REGISTERED, S.WITHDRAWN), (S.REGISTERED, S.REJECTED),
    (S.COUNSELLED, S.RETURN_APPROVED), (S.COUNSELLED, S.WITHDRAWN),
    (S.COUNSELLED, S.REJECTED),
    (S.RETURN_APPROVED, S.TRAVEL_BOOKED), (S.RETURN_APPROVED, S.WITHDRAWN),
    (S.TRAVEL_BOOKED, S.DEPARTED), (S.TRAVEL_BOOKED, S.WITHDRAWN),
    (S.DEPARTED, S.ARRIVED),
    (S.ARRIVED, S.CLOSED),
}
ALL_MOVES = set(product(CaseStatus, CaseStatus))

VALID_REQUEST = {
    S.COUNSELLED: {},
    S.RETURN_APPROVED: {},
    S.TRAVEL_BOOKED: {"data": {"travel_date": date(2024, 7, 1),
                               "destination_airport": "GRU"}},
    S.DEPARTED: {},
    S.ARRIVED: {"data": {"arrival_date": date(2024, 6, 14)}},
    S.CLOSED: {},
    S.WITHDRAWN: {"reason": "decided to stay with family"},
    S.REJECTED: {"reason": "holds Portuguese nationality"},
}


def move(current, to, role="supervisor", **request):
    return apply_transition(current, to, actor_id="u-1", actor_role=role, at=AT, **request)


def test_the_transition_table_is_exactly_the_journey_of_the_brief():
    table = {(src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets}
    assert table == LEGAL_MOVES


@pytest.mark.parametrize("current,target", sorted(LEGAL_MOVES))
def test_every_legal_move_is_recorded_with_its_event(current, target):
    transition, event_name = move(current, target, **VALID_REQUEST[target])

    assert transition.from_status is current
    assert transition.to_status is target
    assert (transition.actor_id, transition.actor_role, transition.at) == (
        "u-1", "supervisor", AT)
    assert event_name == f"case_{target}"


@pytest.mark.parametrize("current,target", sorted(ALL_MOVES - LEGAL_MOVES))
def test_every_illegal_move_is_refused_with_the_allowed_targets(current, target):
    with pytest.raises(IllegalTransition) as refused:
        move(current, target, **VALID_REQUEST.get(target, {}))

    assert refused.value.current == current
    assert refused.value.requested == target
    assert refused.value.allowed == sorted(t.value for t in ALLOWED_TRANSITIONS[current])


def test_allowed_targets_are_sorted_by_name():
    assert allowed_targets(S.REGISTERED) == ["counselled", "rejected", "withdrawn"]


@pytest.mark.parametrize("final", [S.CLOSED, S.WITHDRAWN, S.REJECTED])
def test_a_final_case_allows_no_move_and_says_so(final):
    with pytest.raises(IllegalTransition, match="none: the case is final") as refused:
        move(final, S.COUNSELLED)
    assert refused.value.allowed == []


def test_withdrawal_is_possible_from_every_state_before_departure_only():
    can_withdraw = {src for src, targets in ALLOWED_TRANSITIONS.items()
                    if S.WITHDRAWN in targets}
    assert can_withdraw == {S.REGISTERED, S.COUNSELLED, S.RETURN_APPROVED, S.TRAVEL_BOOKED}


def test_an_unknown_target_state_is_an_illegal_move():
    with pytest.raises(IllegalTransition) as refused:
        move(S.REGISTERED, "teleported")
    assert refused.value.requested == "teleported"


def test_only_a_supervisor_may_approve_the_return():
    with pytest.raises(NotPermitted) as refused:
        move(S.COUNSELLED, S.RETURN_APPROVED, role="caseworker")
    assert refused.value.permitted_roles == ["supervisor"]


@pytest.mark.parametrize("current,target", sorted(
    m for m in LEGAL_MOVES if m[1] is not S.RETURN_APPROVED))
def test_a_caseworker_may_make_every_other_move(current, target):
    transition, _ = move(current, target, role="caseworker", **VALID_REQUEST[target])
    assert transition.actor_role == "caseworker"


@pytest.mark.parametrize("role", ["finance_officer", "operations", "admin", "auditor"])
def test_roles_outside_case_work_may_not_move_a_case(role):
    with pytest.raises(NotPermitted):
        move(S.REGISTERED, S.COUNSELLED, role=role)


@pytest.mark.parametrize("target", [S.WITHDRAWN, S.REJECTED])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_withdrawal_and_rejection_need_a_reason(target, reason):
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.REGISTERED, target, reason=reason)
    assert refused.value.errors == {
        "reason": [f"a reason is required to move a case to {target}"]}


def test_the_reason_is_kept_trimmed_and_optional_for_other_moves():
    withdrawn, _ = move(S.REGISTERED, S.WITHDRAWN, reason="  found work  ")
    counselled, _ = move(S.REGISTERED, S.COUNSELLED)
    assert withdrawn.reason == "found work"
    assert counselled.reason is None


def test_booking_travel_needs_a_travel_date_and_a_destination_airport():
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.RETURN_APPROVED, S.TRAVEL_BOOKED)
    assert refused.value.errors == {
        "data.destination_airport": ["is required when moving a case to travel_booked"],
        "data.travel_date": ["is required when moving a case to travel_booked"]}


@pytest.mark.parametrize("airport", ["gru", "GR", "GRUX", "G1U", 123])
def test_the_destination_airport_must_be_three_capital_letters(airport):
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.RETURN_APPROVED, S.TRAVEL_BOOKED,
             data={"travel_date": date(2024, 7, 1), "destination_airport": airport})
    assert list(refused.value.errors) == ["data.destination_airport"]


@pytest.mark.parametrize("travel_date", ["2024-07-01",
                                         datetime(2024, 7, 1, tzinfo=timezone.utc)])
def test_the_travel_date_must_be_a_calendar_date(travel_date):
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.RETURN_APPROVED, S.TRAVEL_BOOKED,
             data={"travel_date": travel_date, "destination_airport": "GRU"})
    assert refused.value.errors == {"data.travel_date": ["must be a date"]}


def test_the_booked_travel_data_is_recorded_on_the_transition():
    data = {"travel_date": date(2024, 7, 1), "destination_airport": "GRU"}
    transition, _ = move(S.RETURN_APPROVED, S.TRAVEL_BOOKED, data=data)
    assert transition.data == data


def test_arrival_needs_an_arrival_date():
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.DEPARTED, S.ARRIVED)
    assert refused.value.errors == {
        "data.arrival_date": ["is required when moving a case to arrived"]}


def test_the_arrival_date_cannot_be_in_the_future():
    tomorrow = AT.date() + timedelta(days=1)
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.DEPARTED, S.ARRIVED, data={"arrival_date": tomorrow})
    assert refused.value.errors == {"data.arrival_date": ["cannot be in the future"]}


def test_the_arrival_date_may_be_today():
    transition, _ = move(S.DEPARTED, S.ARRIVED, data={"arrival_date": AT.date()})
    assert transition.data["arrival_date"] == AT.date()


def test_the_arrival_date_cannot_be_before_the_booked_travel_date():
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.DEPARTED, S.ARRIVED, data={"arrival_date": date(2024, 6, 9)},
             booked_travel_date=date(2024, 6, 10))
    assert refused.value.errors == {
        "data.arrival_date": ["cannot be before the booked travel date 2024-06-10"]}


def test_arriving_the_day_after_the_travel_date_is_fine():
    transition, _ = move(S.DEPARTED, S.ARRIVED, data={"arrival_date": date(2024, 6, 11)},
                         booked_travel_date=date(2024, 6, 10))
    assert transition.to_status is S.ARRIVED


@pytest.mark.parametrize("current,target", [(S.REGISTERED, S.COUNSELLED),
                                            (S.RETURN_APPROVED, S.TRAVEL_BOOKED)])
def test_data_a_move_does_not_take_is_refused(current, target):
    data = dict(VALID_REQUEST[target].get("data", {}), passport_scan="p.pdf")
    with pytest.raises(InvalidTransitionData) as refused:
        move(current, target, data=data)
    assert refused.value.errors == {
        "data.passport_scan": [f"is not expected when moving a case to {target}"]}


def test_reason_and_data_errors_are_reported_together():
    with pytest.raises(InvalidTransitionData) as refused:
        move(S.RETURN_APPROVED, S.WITHDRAWN, data={"travel_date": date(2024, 7, 1)})
    assert set(refused.value.errors) == {"reason", "data.travel_date"}


def test_a_naive_timestamp_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        apply_transition(S.REGISTERED, S.COUNSELLED, actor_id="u-1",
                         actor_role="caseworker", at=datetime(2024, 6, 15, 10, 30))


def test_a_transition_record_is_immutable():
    transition, _ = move(S.REGISTERED, S.COUNSELLED)
    assert isinstance(transition, Transition)
    with pytest.raises(AttributeError):
        transition.to_status = S.CLOSED
