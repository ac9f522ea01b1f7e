"""The return journey on a real broker: one move, one event; a repeated command, no
second move; an illegal move refused with the moves that are allowed."""
from datetime import date, timedelta

import pytest

from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput, RuleViolation

TODAY = date.today()


@pytest.fixture
def case_id(call, a_person):
    return call("caseworker", "register_case", a_person())["id"]


def journey_events(event_queue, case_id, expected, eventually):
    """The journey events for the case once `expected` of them arrived (registration aside)."""
    def arrived():
        found = [m for m in event_queue.messages()
                 if m["data"]["case_id"] == case_id and m["event_type"] != "case_registered"]
        return found if len(found) >= expected else None
    return eventually(arrived)


def test_a_transition_produces_exactly_one_event_with_ids_and_dates_only(
        call, case_id, event_queue, eventually, outbox_events):
    moved = call("caseworker", "transition_case", case_id,
                 {"to": "counselled", "reason": "Explained the programme to Amina Diallo"})
    assert moved["status"] == "counselled"
    [event] = journey_events(event_queue, case_id, 1, eventually)
    assert event["event_type"] == "case_counselled"
    assert event["data"] == {"case_id": case_id, "programme_id": event["data"]["programme_id"],
                             "from_status": "registered", "to_status": "counselled",
                             "at": moved["transition"]["at"]}
    assert [e.event_type for e in outbox_events()].count("case_counselled") == 1


def test_a_repeated_transition_command_moves_the_case_once(call, case_id, event_queue,
                                                           eventually, rows):
    request = {"to": "counselled", "reason": "first counselling session"}
    first = call("caseworker", "transition_case", case_id, request, request_id="cmd-42")
    again = call("caseworker", "transition_case", case_id, request, request_id="cmd-42")
    assert again == first
    history = rows(f"SELECT to_status FROM case_transitions WHERE case_id = '{case_id}'")
    assert [r.to_status for r in history] == ["registered", "counselled"]
    journey_events(event_queue, case_id, 1, eventually)
    call("caseworker", "transition_case", case_id, {"to": "withdrawn", "reason": "changed mind"})
    events = journey_events(event_queue, case_id, 2, eventually)
    assert [e["event_type"] for e in events] == ["case_counselled", "case_withdrawn"]


def test_the_same_request_id_with_another_request_is_a_conflict(call, case_id):
    call("caseworker", "transition_case", case_id, {"to": "counselled"}, request_id="cmd-7")
    with pytest.raises(Conflict):
        call("caseworker", "transition_case", case_id,
             {"to": "withdrawn", "reason": "x"}, request_id="cmd-7")


def test_an_illegal_transition_is_refused_with_the_allowed_targets(call, case_id, rows):
    with pytest.raises(Conflict) as refused:
        call("caseworker", "transition_case", case_id, {"to": "departed"})
    assert refused.value.details["allowed"] == ["counselled", "rejected", "withdrawn"]
    assert rows(f"SELECT status FROM cases WHERE id = '{case_id}'")[0].status == "registered"


def test_the_whole_journey_records_actor_time_reason_and_data(call, case_id, event_queue,
                                                               eventually):
    travel = TODAY - timedelta(days=1)
    steps = [("caseworker", {"to": "counselled", "reason": "session 1"}),
             ("supervisor", {"to": "return_approved", "reason": "SEF cleared"}),
             ("caseworker", {"to": "travel_booked", "data": {
                 "travel_date": travel.isoformat(), "destination_airport": "CKY"}}),
             ("caseworker", {"to": "departed"}),
             ("caseworker", {"to": "arrived", "data": {"arrival_date": TODAY.isoformat()}})]
    for actor, request in steps:
        call(actor, "transition_case", case_id, request)
    case = call("supervisor", "get_case", case_id)
    assert case["status"] == "arrived" and case["allowed_transitions"] == ["closed"]
    approved = case["history"][2]
    assert (approved["actor_id"], approved["actor_role"], approved["reason"]) == (
        "supervisor-id", "supervisor", "SEF cleared")
    assert case["history"][3]["data"] == {"travel_date": travel.isoformat(),
                                          "destination_airport": "CKY"}
    events = journey_events(event_queue, case_id, 5, eventually)
    by_type = {e["event_type"]: e["data"] for e in events}
    assert by_type["case_travel_booked"]["travel_date"] == travel.isoformat()
    assert by_type["case_arrived"]["arrival_date"] == TODAY.isoformat()
    assert "CKY" not in str(events)


def test_only_a_supervisor_approves_a_return(call, case_id):
    call("caseworker", "transition_case", case_id, {"to": "counselled"})
    with pytest.raises(Forbidden):
        call("caseworker", "transition_case", case_id, {"to": "return_approved"})


def test_a_withdrawal_needs_a_reason(call, case_id):
    with pytest.raises(RuleViolation) as refused:
        call("caseworker", "transition_case", case_id, {"to": "withdrawn"})
    assert "reason" in refused.value.fields


def test_a_malformed_transition_request_names_its_fields(call, case_id):
    with pytest.raises(InvalidInput) as refused:
        call("caseworker", "transition_case", case_id, {"to": "flying", "data": {"arrival_date": "soon"}})
    assert set(refused.value.fields) == {"to", "data.arrival_date"}


def test_other_staff_may_not_move_a_case(call, case_id):
    with pytest.raises(Forbidden):
        call("finance_officer", "transition_case", case_id, {"to": "counselled"})


def test_a_transition_message_delivered_twice_by_the_broker_moves_the_case_once(
        call, case_id, intake_config, rows):
    import json
    import uuid

    import pika
    connection = pika.BlockingConnection(pika.URLParameters(intake_config["AMQP_URI"]))
    channel = connection.channel()
    replies = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(replies, "nameko-rpc", routing_key=replies)  # nameko replies there
    body = json.dumps({"args": [case_id, {"to": "counselled"}],
                       "kwargs": {"request_id": "delivered-twice"}}).encode()
    properties = pika.BasicProperties(
        reply_to=replies, correlation_id=str(uuid.uuid4()), content_type="application/json",
        headers={"nameko.actor_id": "caseworker-id", "nameko.actor_role": "caseworker"})
    for _ in range(2):
        channel.basic_publish("nameko-rpc", "intake.transition_case", body, properties)
    answers = []
    for method, _, reply in channel.consume(replies, auto_ack=True, inactivity_timeout=15):
        assert method is not None, "no reply from intake"
        answers.append(json.loads(reply))
        if len(answers) == 2:
            break
    connection.close()
    assert answers[0] == answers[1] and answers[0]["error"] is None
    assert answers[0]["result"]["status"] == "counselled"
    history = rows(f"SELECT to_status FROM case_transitions WHERE case_id = '{case_id}'")
    assert [r.to_status for r in history] == ["registered", "counselled"]
