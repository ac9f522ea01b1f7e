"""The messaging backbone against a real RabbitMQ vhost and a real database."""
import gc
import json
import uuid

import pika
import pytest
from nameko.testing.services import entrypoint_hook

import recorder_service as support
from reintegra.contracts import new_envelope
from reintegra.garbage_collection import YOUNG_THRESHOLD
from reintegra.messaging import dlq
from reintegra.messaging.carrier import CARRIED

QUEUE = "evt-intake-case_registered--recorder.on_case_registered"


@pytest.fixture
def announcer(container_factory, service_config, tmp_path):
    url = f"sqlite:///{tmp_path / 'announcer.sqlite'}"
    support.create_tables(url)
    container = container_factory(support.Announcer, {**service_config, "DATABASE_URL": url})
    container.start()
    return container


def publish_raw(channel, body, message_id=None):
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    channel.basic_publish("intake.events", "case_registered", json.dumps(body).encode(),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                               message_id=message_id))


def an_event(case_id="case-1"):
    return new_envelope("intake", "case_registered", support.case_registered(case_id)).to_dict()


def depth_on_own_connection(amqp_uri, name):
    # The retry queue appears only at the first failure; a passive declare of a missing queue
    # closes its channel, so each look uses a connection of its own.
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        return connection.channel().queue_declare(name, passive=True).method.message_count
    except pika.exceptions.ChannelClosedByBroker:
        return 0
    finally:
        connection.close()


def queue_depth(channel, name):
    return channel.queue_declare(name, passive=True).method.message_count


def recorder_with_slow_retries(container_factory, service_config, tmp_path, first_delay_ms):
    """A recorder whose first retry waits `first_delay_ms`, so that the retry queue can be
    looked at; returns its fail flag file (not created)."""
    fail_flag = tmp_path / "fail"
    support.create_tables(service_config["DATABASE_URL"])
    slow_retries = {**service_config, "FAIL_FLAG_FILE": str(fail_flag),
                    "RETRY": {"max_attempts": 3, "first_delay_ms": first_delay_ms}}
    container_factory(support.Recorder, slow_retries).start()
    return fail_flag


def test_the_same_event_delivered_a_hundred_times_has_one_effect(recorder, broker, service_config, eventually):
    event = an_event("case-once")
    for _ in range(100):
        publish_raw(broker, event, event["event_id"])
    eventually(lambda: queue_depth(broker, QUEUE) == 0)
    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) >= 1)
    assert support.received_case_ids(service_config["DATABASE_URL"]) == ["case-once"]


def test_events_committed_through_the_outbox_reach_the_consumer(recorder, announcer, service_config, eventually):
    with entrypoint_hook(announcer, "announce") as announce:
        announce([f"case-{i}" for i in range(20)])
    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) == 20)
    assert sorted(support.received_case_ids(service_config["DATABASE_URL"])) == sorted(f"case-{i}" for i in range(20))


def test_an_event_recorded_in_a_rolled_back_transaction_never_leaves(recorder, announcer, service_config, eventually):
    with entrypoint_hook(announcer, "announce_then_fail") as announce_then_fail:
        with pytest.raises(RuntimeError):
            announce_then_fail("case-rolled-back")
    with entrypoint_hook(announcer, "announce") as announce:
        announce(["case-committed"])
    eventually(lambda: support.received_case_ids(service_config["DATABASE_URL"]))
    assert support.received_case_ids(service_config["DATABASE_URL"]) == ["case-committed"]


def test_a_handler_that_keeps_failing_ends_in_the_dead_letter_queue_and_replay_brings_it_back(
        recorder, broker, service_config, rabbit_config, tmp_path, eventually):
    fail_flag = tmp_path / "fail"
    fail_flag.touch()
    event = an_event("case-failing")
    publish_raw(broker, event, event["event_id"])

    letters = eventually(lambda: dlq.list_dead_letters(rabbit_config["AMQP_URI"]))
    assert [(l["message_id"], l["queue"], l["attempts"]) for l in letters] == [(event["event_id"], QUEUE, 3)]
    assert "told to fail" in letters[0]["reason"]
    assert support.received_case_ids(service_config["DATABASE_URL"]) == []

    fail_flag.unlink()
    assert dlq.replay(rabbit_config["AMQP_URI"], {event["event_id"]}) == [event["event_id"]]
    eventually(lambda: support.received_case_ids(service_config["DATABASE_URL"]))
    assert support.received_case_ids(service_config["DATABASE_URL"]) == ["case-failing"]
    assert dlq.list_dead_letters(rabbit_config["AMQP_URI"]) == []


def test_a_handler_that_fails_once_succeeds_on_retry_without_a_dead_letter(
        container_factory, broker, service_config, rabbit_config, tmp_path, eventually):
    fail_flag = recorder_with_slow_retries(container_factory, service_config, tmp_path, 1500)
    fail_flag.touch()
    event = an_event("case-flaky")
    publish_raw(broker, event, event["event_id"])
    eventually(lambda: depth_on_own_connection(rabbit_config["AMQP_URI"], QUEUE + ".retry") == 1)
    fail_flag.unlink()
    eventually(lambda: support.received_case_ids(service_config["DATABASE_URL"]))
    assert dlq.list_dead_letters(rabbit_config["AMQP_URI"]) == []


@pytest.mark.parametrize("body, reason", [
    ({"event_id": "not-a-uuid"}, "event_id"),
    ("just a string", "must be a JSON object"),
])
def test_a_message_that_breaks_its_contract_is_dead_lettered_with_the_reason(
        recorder, broker, service_config, rabbit_config, eventually, body, reason):
    publish_raw(broker, body, "bad-message")
    letters = eventually(lambda: dlq.list_dead_letters(rabbit_config["AMQP_URI"]))
    assert letters[0]["message_id"] == "bad-message"
    assert letters[0]["reason"].startswith("PermanentError: contract:")
    assert reason in letters[0]["reason"]
    assert support.received_case_ids(service_config["DATABASE_URL"]) == []


def test_event_data_with_a_missing_field_is_dead_lettered_not_half_processed(
        recorder, broker, service_config, rabbit_config, eventually):
    event = an_event("case-incomplete")
    del event["data"]["programme_id"]
    publish_raw(broker, event, event["event_id"])
    letters = eventually(lambda: dlq.list_dead_letters(rabbit_config["AMQP_URI"]))
    assert "programme_id" in letters[0]["reason"]
    assert support.received_case_ids(service_config["DATABASE_URL"]) == []


def test_an_event_nobody_consumes_stays_in_the_outbox_with_the_error(announcer, service_config, tmp_path, eventually):
    import sqlalchemy as sa
    from reintegra.messaging.tables import outbox
    with entrypoint_hook(announcer, "announce") as announce:
        announce(["case-unroutable"])
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'announcer.sqlite'}")

    def pending_with_error():
        with engine.connect() as conn:
            return conn.execute(sa.select(outbox.c.last_error, outbox.c.published_at)).first()
    row = eventually(lambda: (r := pending_with_error()) and r.last_error and r)
    assert row.published_at is None
    assert "UndeliverableMessage" in row.last_error
    engine.dispose()


# Several events carried in one message (reintegra.messaging.carrier) ------------------------

def publish_carrier(channel, events):
    publish_raw(channel, {CARRIED: events}, str(uuid.uuid4()))


def test_the_relay_carries_a_transactions_events_in_one_message_and_each_is_handled_once(
        announcer, broker, service_config, eventually):
    channel = broker
    channel.exchange_declare("intake.events", exchange_type="topic", durable=True)
    spy = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(spy, "intake.events", routing_key="case_registered")
    with entrypoint_hook(announcer, "announce") as announce:
        announce([f"case-{i}" for i in range(5)])
    method, _properties, body = eventually(lambda: (got := channel.basic_get(spy, auto_ack=True))[0] and got)
    carried = json.loads(body)[CARRIED]
    assert [event["data"]["case_id"] for event in carried] == [f"case-{i}" for i in range(5)]
    assert channel.basic_get(spy, auto_ack=True)[0] is None  # one message for all five


def test_every_event_of_a_carrier_is_handled_once_even_when_the_carrier_comes_twice(
        recorder, broker, service_config, eventually):
    events = [an_event(f"case-{i}") for i in range(3)]
    publish_carrier(broker, events)
    publish_carrier(broker, events)
    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) >= 3)
    eventually(lambda: queue_depth(broker, QUEUE) == 0)
    assert sorted(support.received_case_ids(service_config["DATABASE_URL"])) == [
        "case-0", "case-1", "case-2"]


def test_an_event_that_fails_in_a_carrier_is_retried_alone_while_the_others_are_handled(
        container_factory, broker, service_config, rabbit_config, tmp_path, eventually):
    fail_flag = recorder_with_slow_retries(container_factory, service_config, tmp_path, 60_000)
    fail_flag.write_text("case-b")
    events = [an_event("case-a"), an_event("case-b"), an_event("case-c")]
    publish_carrier(broker, events)

    eventually(lambda: sorted(support.received_case_ids(service_config["DATABASE_URL"]))
               == ["case-a", "case-c"])
    eventually(lambda: depth_on_own_connection(rabbit_config["AMQP_URI"], QUEUE + ".retry") == 1)
    retry = pika.BlockingConnection(pika.URLParameters(rabbit_config["AMQP_URI"]))
    method, properties, body = retry.channel().basic_get(QUEUE + ".retry", auto_ack=False)
    retry.close()  # unacked: back in the queue
    assert json.loads(body) == events[1]
    assert properties.message_id == events[1]["event_id"]
    assert properties.headers["x-reintegra-attempts"] == 1
    assert queue_depth(broker, QUEUE) == 0  # the carrier itself was acked


def test_an_event_that_keeps_failing_in_a_carrier_is_dead_lettered_alone_and_replays_alone(
        recorder, broker, service_config, rabbit_config, tmp_path, eventually):
    fail_flag = tmp_path / "fail"
    fail_flag.write_text("case-b")
    events = [an_event("case-a"), an_event("case-b")]
    publish_carrier(broker, events)

    letters = eventually(lambda: dlq.list_dead_letters(rabbit_config["AMQP_URI"]))
    assert [(l["message_id"], l["queue"], l["attempts"]) for l in letters] == [
        (events[1]["event_id"], QUEUE, 3)]
    assert support.received_case_ids(service_config["DATABASE_URL"]) == ["case-a"]

    fail_flag.unlink()
    assert dlq.replay(rabbit_config["AMQP_URI"], {events[1]["event_id"]}) == [events[1]["event_id"]]
    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) == 2)
    assert sorted(support.received_case_ids(service_config["DATABASE_URL"])) == ["case-a", "case-b"]


def test_an_event_in_a_carrier_that_breaks_its_contract_is_dead_lettered_alone_with_the_reason(
        recorder, broker, service_config, rabbit_config, eventually):
    good, bad = an_event("case-good"), an_event("case-incomplete")
    del bad["data"]["programme_id"]
    publish_carrier(broker, [good, bad, "not an event"])

    letters = eventually(lambda: len(l := dlq.list_dead_letters(rabbit_config["AMQP_URI"])) == 2 and l)
    by_id = {letter["message_id"]: letter for letter in letters}
    assert "programme_id" in by_id[bad["event_id"]]["reason"]
    assert "must be a JSON object" in by_id[None]["reason"]
    eventually(lambda: support.received_case_ids(service_config["DATABASE_URL"]))
    assert support.received_case_ids(service_config["DATABASE_URL"]) == ["case-good"]


def test_a_started_service_collects_garbage_in_batches_of_ten_thousand_objects(announcer):
    # reintegra.garbage_collection: a payout chunk's objects were walked again and again.
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
