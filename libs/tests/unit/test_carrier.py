"""The outbox relay carries events of one type together; consumers take them apart."""
from kombu import Exchange

from reintegra.contracts import new_envelope
from reintegra.messaging import carrier
from reintegra.messaging.carrier import CARRIED_HEADER, carried_events, carry, is_carrier
from reintegra.messaging.confirmed_publisher import Outgoing

PAYMENTS = Exchange("payments.events", type="topic", durable=True)
PAID = {"payout_id": "po-1", "instalment_id": "in-1", "case_id": "c-1", "route": "mobile_money",
        "amount": {"amount": 100_000, "currency": "EUR"}}
OFFICER = {"nameko.actor_id": "officer-b", "nameko.actor_role": "finance_officer"}


def outgoing(event_type="payout_paid", data=PAID, headers=OFFICER):
    body = new_envelope("payments", event_type, data).to_dict()
    return Outgoing(body["event_id"], PAYMENTS, event_type, body, dict(headers))


def test_events_of_one_type_and_actor_travel_in_one_message_in_their_order():
    events = [outgoing() for _ in range(3)]
    [(message, ids)] = carry(events)
    assert ids == [e.message_id for e in events]
    assert is_carrier(message.body)
    assert carried_events(message.body) == [e.body for e in events]
    assert message.routing_key == "payout_paid" and message.exchange is PAYMENTS
    assert message.headers == {**OFFICER, CARRIED_HEADER: 3}


def test_a_lone_event_travels_as_its_own_envelope():
    event = outgoing()
    assert carry([event]) == [(event, [event.message_id])]
    assert not is_carrier(event.body) and carried_events(event.body) == [event.body]


def test_different_types_or_actors_go_in_different_messages():
    released = outgoing("payout_released", {**PAID, "batch_id": "b-1"})
    paid_by_b, paid_by_c = outgoing(), outgoing(headers={**OFFICER, "nameko.actor_id": "officer-c"})
    sent = carry([released, paid_by_b, paid_by_c])
    assert [ids for _message, ids in sent] == [[released.message_id], [paid_by_b.message_id],
                                               [paid_by_c.message_id]]


def test_work_orders_are_never_carried_together_so_competing_processes_share_them():
    chunks = [outgoing("payout_chunk_released", {"batch_id": "b-1", "payout_ids": [f"po-{i}"]})
              for i in range(3)]
    sent = carry(chunks)
    assert [message for message, _ids in sent] == chunks


def test_a_carrier_holds_at_most_max_carried_events(monkeypatch):
    monkeypatch.setattr(carrier, "MAX_CARRIED", 2)
    events = [outgoing() for _ in range(5)]
    assert [len(ids) for _message, ids in carry(events)] == [2, 2, 1]
