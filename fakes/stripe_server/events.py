"""Events: built from Stripe's example event, stored (so GET /v1/events works) and published.

An event about an object on a connected account carries `account`, as Connect webhooks do.
The payload bytes are fixed at creation, so a resend is byte-for-byte the same event.
"""
import json
import time

from . import ids


class EventLog:
    def __init__(self, fixtures, store, dispatcher, api_version):
        self._fixtures = fixtures
        self._store = store
        self._dispatcher = dispatcher
        self._api_version = api_version

    def emit(self, event_type, snapshot, *, account=None, previous=None, request=None):
        """Record and publish `event_type` about `snapshot` (an already rendered object)."""
        event = self._fixtures.template("event")
        event.update({
            "id": ids.new_id("evt"),
            "api_version": self._api_version,
            "created": int(time.time()),
            "data": {"object": snapshot},
            "livemode": False,
            "pending_webhooks": sum(1 for endpoint in self._dispatcher.endpoints()
                                    if endpoint.wants(event_type)),
            "request": {"id": request[0], "idempotency_key": request[1]} if request else
                       {"id": None, "idempotency_key": None},
            "type": event_type,
        })
        if previous:
            event["data"]["previous_attributes"] = previous
        if account:
            event["account"] = account
        self._store.add(event, owner=account)
        payload = json.dumps(event, indent=2).encode("utf-8")
        self._store.private(event["id"])["payload"] = payload
        self._dispatcher.publish(event["id"], event_type, payload)
        return event

    def payload(self, event_id):
        return self._store.private(event_id).get("payload")
