"""Inspect and replay dead letters (operations tool, direct broker work with pika).

    python -m reintegra.messaging.dlq list
    python -m reintegra.messaging.dlq replay --id <message_id> [--id ...]
    python -m reintegra.messaging.dlq replay --all

Listing takes every message without acking and closes the channel, which puts them all back.
Replay republishes a dead letter to the queue it died in, with its attempt count reset, waits
for the broker's confirm, and only then acks (removes) the dead letter.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass

import pika

from reintegra.messaging.retry import ATTEMPTS_HEADER, DEAD_LETTER_QUEUE


@dataclass
class DeadLetter:
    message_id: str | None
    queue: str
    service: str
    event_type: str
    reason: str
    attempts: int
    dead_lettered_at: str
    body: bytes
    properties: pika.BasicProperties
    delivery_tag: int

    def summary(self) -> dict:
        return {"message_id": self.message_id, "queue": self.queue, "service": self.service,
                "event_type": self.event_type, "reason": self.reason, "attempts": self.attempts,
                "dead_lettered_at": self.dead_lettered_at}


def _connect(amqp_uri: str):
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.queue_declare(DEAD_LETTER_QUEUE, durable=True)
    return connection, channel


def _take_all(channel) -> list[DeadLetter]:
    letters = []
    while True:
        method, properties, body = channel.basic_get(DEAD_LETTER_QUEUE, auto_ack=False)
        if method is None:
            return letters
        headers = properties.headers or {}
        letters.append(DeadLetter(
            properties.message_id, _text(headers.get("x-original-queue")),
            _text(headers.get("x-service")), _text(headers.get("x-event-type")),
            _text(headers.get("x-dead-letter-reason")), int(headers.get(ATTEMPTS_HEADER, 0)),
            _text(headers.get("x-dead-lettered-at")), body, properties, method.delivery_tag))


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


def list_dead_letters(amqp_uri: str) -> list[dict]:
    connection, channel = _connect(amqp_uri)
    try:
        return [letter.summary() for letter in _take_all(channel)]
    finally:
        connection.close()  # unacked messages return to the queue


def replay(amqp_uri: str, message_ids: set[str] | None = None) -> list[str]:
    """Replay the chosen dead letters (all when message_ids is None); returns the ids replayed."""
    connection, channel = _connect(amqp_uri)
    channel.confirm_delivery()
    replayed = []
    try:
        for letter in _take_all(channel):
            if message_ids is not None and letter.message_id not in message_ids:
                continue
            channel.basic_publish("", letter.queue, letter.body, _fresh_properties(letter),
                                  mandatory=True)
            channel.basic_ack(letter.delivery_tag)
            replayed.append(letter.message_id)
        return replayed
    finally:
        connection.close()


def _fresh_properties(letter: DeadLetter) -> pika.BasicProperties:
    headers = {k: v for k, v in (letter.properties.headers or {}).items()
               if not k.startswith("x-")}
    headers[ATTEMPTS_HEADER] = 0
    props = letter.properties
    return pika.BasicProperties(content_type=props.content_type,
                                content_encoding=props.content_encoding, headers=headers,
                                delivery_mode=2, message_id=props.message_id, type=props.type)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dlq", description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5673/"))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show dead letters with their reason")
    replay_cmd = sub.add_parser("replay", help="send dead letters back to their queue")
    which = replay_cmd.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", action="append", dest="ids", help="message id (repeatable)")
    which.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "list":
        letters = list_dead_letters(args.amqp_uri)
        for letter in letters:
            print(json.dumps(letter))
        print(f"{len(letters)} dead letter(s)", file=sys.stderr)
    else:
        done = replay(args.amqp_uri, None if args.all else set(args.ids))
        print(f"replayed {len(done)}: {', '.join(str(d) for d in done)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
