"""Several events in one broker message, and taking them apart again.

A payout batch announces two events per payout. Sent as a message each, the broker spent
more CPU persisting and routing them than payments spent paying (docs/performance.md). So the
outbox relay carries the events of one relay round that share exchange, event type and actor
in one message, `{"events": [envelope, ...]}` (at most `MAX_CARRIED`). A lone event still
travels as its envelope, exactly as before.

Consumers never see the difference: `reliable_event_handler` takes a carrier apart and
validates, handles, retries and dead-letters each event on its own, as if it had come alone
(a retried or dead-lettered event travels alone from then on).

Work orders (event types whose consumers compete, so that several processes share the work,
`reintegra.contracts.events.WORK_ORDERS`) are never carried together: one message would give
all the work to one process.
"""
from __future__ import annotations

import uuid
from collections import defaultdict

from reintegra.contracts.events import WORK_ORDERS
from reintegra.messaging.confirmed_publisher import Outgoing

CARRIED = "events"
CARRIED_HEADER = "x-reintegra-carried"
MAX_CARRIED = 500


def is_carrier(body: object) -> bool:
    return isinstance(body, dict) and CARRIED in body and "event_id" not in body


def carried_events(body: dict) -> list[dict]:
    """The events in a message body: the many a carrier holds, or the one it is."""
    return list(body[CARRIED]) if is_carrier(body) else [body]


def carry(messages: list[Outgoing]) -> list[tuple[Outgoing, list[str]]]:
    """The messages to send for these events, each with the ids of the events it holds."""
    groups: dict[tuple, list[Outgoing]] = defaultdict(list)
    for message in messages:
        if (message.body["source"], message.routing_key) in WORK_ORDERS:
            key = (message.message_id,)  # alone
        else:
            key = (message.exchange.name, message.routing_key, tuple(sorted(message.headers.items())))
        groups[key].append(message)
    sent = []
    for group in groups.values():
        for start in range(0, len(group), MAX_CARRIED):
            part = group[start:start + MAX_CARRIED]
            sent.append((_carrier(part) if len(part) > 1 else part[0],
                         [message.message_id for message in part]))
    return sent


def _carrier(part: list[Outgoing]) -> Outgoing:
    first = part[0]
    return Outgoing(str(uuid.uuid4()), first.exchange, first.routing_key,
                    {CARRIED: [message.body for message in part]},
                    {**first.headers, CARRIED_HEADER: len(part)})
