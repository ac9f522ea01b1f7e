"""The relay's publisher: a batch sent with confirms, routed events told from unroutable ones."""
import json
import uuid

import pika
import pytest
from kombu import Exchange

from reintegra.messaging.confirmed_publisher import (ConfirmedBatchPublisher, Outgoing,
                                                     UndeliverableMessage)

EXCHANGE = Exchange("probe.events", type="topic", durable=True)


def outgoing(routing_key):
    event_id = str(uuid.uuid4())
    return Outgoing(event_id, EXCHANGE, routing_key, {"event_id": event_id, "n": 1},
                    {"nameko.actor_id": "u-1"})


def bound_queue(amqp_uri, routing_key):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.exchange_declare(EXCHANGE.name, exchange_type="topic", durable=True)
    channel.queue_declare("probe.listener", durable=True)
    channel.queue_bind("probe.listener", EXCHANGE.name, routing_key=routing_key)
    return connection, channel


def test_a_batch_is_confirmed_message_by_message_and_unroutable_ones_are_named(rabbit_config):
    connection, channel = bound_queue(rabbit_config["AMQP_URI"], "listened")
    publisher = ConfirmedBatchPublisher(rabbit_config["AMQP_URI"])
    try:
        listened = [outgoing("listened") for _ in range(300)]
        nobody = [outgoing("nobody_listens") for _ in range(3)]
        outcome = publisher.publish_batch(listened[:150] + nobody + listened[150:])
        again = publisher.publish_batch([outgoing("listened")])  # the channel is reused
    finally:
        publisher.close()
    assert all(outcome[m.message_id] is None for m in listened)
    assert all(isinstance(outcome[m.message_id], UndeliverableMessage) for m in nobody)
    assert list(again.values()) == [None]
    depth = channel.queue_declare("probe.listener", durable=True, passive=True).method.message_count
    assert depth == 301
    method, properties, body = channel.basic_get("probe.listener", auto_ack=True)
    assert properties.message_id == listened[0].message_id and properties.delivery_mode == 2
    assert properties.content_type == "application/json"
    assert json.loads(body) == listened[0].body
    connection.close()


def test_a_broker_that_cannot_be_reached_raises_instead_of_answering():
    publisher = ConfirmedBatchPublisher("amqp://guest:guest@127.0.0.1:1/", timeout=2)
    with pytest.raises(Exception, match="(?i)refused"):
        publisher.publish_batch([outgoing("listened")])
