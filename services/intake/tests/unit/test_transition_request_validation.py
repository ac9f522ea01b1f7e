from datetime import date

import pytest

from intake.validation.transitions import validate_transition_request


def test_a_booking_request_is_cleaned_into_dates_and_codes():
    clean, errors = validate_transition_request({
        "to": "travel_booked", "reason": " flight found ",
        "data": {"travel_date": "2024-07-01", "destination_airport": "gru"}})
    assert errors == {}
    assert clean == {"to": "travel_booked", "reason": "flight found",
                     "data": {"travel_date": date(2024, 7, 1), "destination_airport": "GRU"}}


def test_a_bare_move_needs_only_the_target():
    assert validate_transition_request({"to": "counselled"}) == ({"to": "counselled"}, {})


def test_the_target_is_required():
    assert validate_transition_request({"reason": "x"}) == (None, {"to": ["is required"]})


def test_the_target_must_be_a_known_state():
    _, errors = validate_transition_request({"to": "teleported"})
    assert errors == {"to": ["'teleported' is not allowed; must be one of: registered, "
                             "counselled, return_approved, travel_booked, departed, arrived, "
                             "closed, withdrawn, rejected"]}


@pytest.mark.parametrize("path,data,reason", [
    ("data.travel_date", {"travel_date": "01/07/2024"}, "must be a date written YYYY-MM-DD"),
    ("data.arrival_date", {"arrival_date": "2024-02-30"},
     "2024-02-30 is not a real calendar date"),
    ("data.destination_airport", {"destination_airport": "LISB"},
     "must be an IATA airport code: three letters, e.g. LIS"),
    ("data.flight", {"flight": "TP123"}, "is not a recognised field"),
])
def test_transition_data_is_checked_field_by_field(path, data, reason):
    assert validate_transition_request({"to": "arrived", "data": data}) == (
        None, {path: [reason]})


def test_unknown_fields_are_refused():
    _, errors = validate_transition_request({"to": "counselled", "actor": "someone-else"})
    assert errors == {"actor": ["is not a recognised field"]}


def test_a_reason_is_text_of_bounded_length():
    _, errors = validate_transition_request({"to": "withdrawn", "reason": "x" * 2001})
    assert errors == {"reason": ["must be at most 2000 characters long"]}


def test_a_body_that_is_not_an_object_is_refused():
    assert validate_transition_request(["withdrawn"]) == (
        None, {"body": ["must be a JSON object"]})
