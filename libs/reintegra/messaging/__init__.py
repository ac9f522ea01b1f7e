"""The messaging backbone: transactional outbox, idempotent consumers, retries and dead letters.

- `storage.Database`: a service's database; its unit of work commits state changes, the events
  announcing them (outbox) and the ids of events consumed (inbox) in one transaction.
- `relay.OutboxRelay`: publishes committed events with publisher confirms and mandatory routing.
- `carrier`: several events of one type in one broker message, and taking them apart again.
- `handler.reliable_event_handler`: consumes events with contract validation, bounded retries
  with backoff, then the dead-letter queue; never acks-and-drops a failed message.
- `dlq`: lists and replays dead letters (python -m reintegra.messaging.dlq).
"""
