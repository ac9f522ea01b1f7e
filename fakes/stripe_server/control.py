"""The control API (`/_control/...`, JSON, no authentication): what tests use to steer the server.

It resets state, lists what was created, arms faults, sets balances, drives the payout and
onboarding lifecycles, and manages webhook endpoints and (tampered) resends. It is not part of
Stripe's API and a client of the Stripe API must never need it.
"""
import json

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from . import faults, ids
from .resources import onboarding, payouts, topups
from .resources.common import connected_account
from .resources.rendering import render
from .webhooks import Endpoint, Tampering


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class ControlApi:
    def __init__(self, state):
        self.state = state
        actions = {
            ("GET", "/_control/health"): self.health,
            ("POST", "/_control/reset"): self.reset,
            ("GET", "/_control/objects"): self.counts,
            ("GET", "/_control/objects/<object_type>"): self.objects,
            ("GET", "/_control/requests"): self.requests,
            ("GET", "/_control/faults"): self.list_faults,
            ("POST", "/_control/faults"): self.arm_fault,
            ("DELETE", "/_control/faults"): self.clear_faults,
            ("POST", "/_control/balance"): self.set_balance,
            ("POST", "/_control/payouts/<payout_id>/settle"): self.settle_payout,
            ("POST", "/_control/payouts/<payout_id>/fail"): self.fail_payout,
            ("POST", "/_control/payout_schedule/run"): self.run_payout_schedule,
            ("POST", "/_control/topups/<topup_id>/settle"): self.settle_topup,
            ("POST", "/_control/topups/<topup_id>/fail"): self.fail_topup,
            ("POST", "/_control/accounts/<account_id>/complete_onboarding"): self.complete_onboarding,
            ("POST", "/_control/accounts/<account_id>/require"): self.require_information,
            ("GET", "/_control/events"): self.events,
            ("POST", "/_control/events/<event_id>/resend"): self.resend_event,
            ("GET", "/_control/webhooks"): self.webhooks,
            ("POST", "/_control/webhooks"): self.add_webhook,
            ("DELETE", "/_control/webhooks"): self.clear_webhooks,
        }
        self._actions = {f"{method} {rule}": action for (method, rule), action in actions.items()}
        self._map = Map([Rule(rule, methods=[method], endpoint=f"{method} {rule}")
                         for method, rule in actions])

    def respond(self, request):
        try:
            name, args = self._map.bind_to_environ(request.environ).match()
            body = request.get_json(silent=True) or {}
            status, answer = 200, self._actions[name](body, **args)
        except HTTPException as failure:
            status, answer = failure.code, {"error": failure.description}
        except ControlError as failure:
            status, answer = failure.status, {"error": str(failure)}
        return Response(json.dumps(answer, indent=2), status=status, content_type="application/json")

    def health(self, body):
        return {"ok": True, "platform_account": self.state.platform_account_id,
                "api_version": self.state.config.api_version}

    def reset(self, body):
        self.state.reset()
        return {"ok": True}

    def counts(self, body):
        with self.state.lock:
            return {"counts": self.state.store.counts()}

    def objects(self, body, object_type):
        with self.state.lock:
            return {"data": [render(self.state, obj) for obj in self.state.store.select(object_type)]}

    def requests(self, body):
        with self.state.lock:
            return {"data": list(self.state.requests)}

    def list_faults(self, body):
        return {"data": self.state.faults.armed()}

    def arm_fault(self, body):
        try:
            fault = faults.parse(body)
        except (TypeError, ValueError) as invalid:
            raise ControlError(400, str(invalid)) from None
        self.state.faults.arm(fault)
        return {"fault": {"id": fault.id, "kind": fault.kind, "stage": fault.stage, "count": fault.count}}

    def clear_faults(self, body):
        self.state.faults.reset()
        return {"ok": True}

    def set_balance(self, body):
        """{"currency", "amount", "account"?: acct_... (default platform), "issuing"?: bool}."""
        currency, amount = _required(body, "currency"), _required(body, "amount")
        if not isinstance(amount, int):
            raise ControlError(400, "amount must be an integer number of minor units")
        with self.state.lock:
            if body.get("issuing"):
                self.state.ledger.set_issuing(currency, amount)
            else:
                owner = self._account(body["account"])["id"] if body.get("account") else None
                self.state.ledger.set_available(owner, currency, amount)
        return {"ok": True}

    def settle_payout(self, body, payout_id):
        with self.state.lock:
            payout = payouts.settle(self.state, self._payout(payout_id))
            return render(self.state, payout)

    def fail_payout(self, body, payout_id):
        """{"failure_code"?: one of Stripe's payout failure codes, default "could_not_process"}."""
        with self.state.lock:
            try:
                payout = payouts.fail(self.state, self._payout(payout_id),
                                      body.get("failure_code", "could_not_process"))
            except ValueError as refused:
                raise ControlError(409, str(refused)) from None
            return render(self.state, payout)

    def settle_topup(self, body, topup_id):
        with self.state.lock:
            return render(self.state, topups.settle(self.state, self._topup(topup_id)))

    def fail_topup(self, body, topup_id):
        """{"failure_code"?: default "could_not_process"}: the platform's bank refused the debit."""
        with self.state.lock:
            try:
                topup = topups.fail(self.state, self._topup(topup_id),
                                    body.get("failure_code", "could_not_process"))
            except ValueError as refused:
                raise ControlError(409, str(refused)) from None
            return render(self.state, topup)

    def run_payout_schedule(self, body):
        """{"account"?: acct_...}: automatic payouts now, for one or every connected account."""
        with self.state.lock:
            accounts = ([self._account(body["account"])] if body.get("account")
                        else self.state.store.select("account", owner=None))
            issued = payouts.run_automatic_payouts(self.state, accounts)
            return {"data": [render(self.state, payout) for payout in issued]}

    def complete_onboarding(self, body, account_id):
        with self.state.lock:
            account = self._account(account_id)
            before = render(self.state, account)
            onboarding.complete_onboarding(self.state, account)
            onboarding.refresh(self.state, account)
            return onboarding.announce_changes(self.state, account, before)

    def require_information(self, body, account_id):
        """{"fields": ["individual.verification.document", ...]}: Stripe wants more; payouts stop."""
        with self.state.lock:
            account = self._account(account_id)
            before = render(self.state, account)
            onboarding.require_information(self.state, account, _required(body, "fields"))
            onboarding.refresh(self.state, account)
            return onboarding.announce_changes(self.state, account, before)

    def events(self, body):
        with self.state.lock:
            return {"data": [render(self.state, event) for event in self.state.store.select("event")]}

    def resend_event(self, body, event_id):
        """Deliver the stored event again, now, to one or every endpoint; optionally tampered.

        {"endpoint"?: we_..., "timestamp"?: int, "secret"?: str, "alter_body"?: bool,
        "omit_signature"?: bool}
        """
        payload = self.state.events.payload(event_id)
        if payload is None:
            raise ControlError(404, f"no event {event_id}")
        tampering = Tampering(timestamp=body.get("timestamp"), secret=body.get("secret"),
                              alter_body=bool(body.get("alter_body")),
                              omit_signature=bool(body.get("omit_signature")))
        endpoints = self.state.webhooks.endpoints()
        if body.get("endpoint"):
            endpoints = [found for found in endpoints if found.id == body["endpoint"]]
        if not endpoints:
            raise ControlError(409, "no webhook endpoint to deliver to")
        deliveries = [self.state.webhooks.deliver_now(event_id, payload, endpoint, tampering)
                      for endpoint in endpoints]
        return {"deliveries": [vars(delivery) for delivery in deliveries]}

    def webhooks(self, body):
        return {"endpoints": [endpoint.public() for endpoint in self.state.webhooks.endpoints()],
                "deliveries": self.state.webhooks.deliveries(), "idle": self.state.webhooks.idle()}

    def add_webhook(self, body):
        """{"url", "secret"?, "enabled_events"?: ["payout.*", ...], "auto_deliver"?: bool}."""
        endpoint = Endpoint(url=_required(body, "url"), secret=body.get("secret") or ids.new_id("whsec"),
                            enabled_events=body.get("enabled_events", ["*"]),
                            auto_deliver=body.get("auto_deliver", True))
        return self.state.webhooks.add_endpoint(endpoint).public()

    def clear_webhooks(self, body):
        self.state.webhooks.clear_endpoints()
        return {"ok": True}

    def _payout(self, payout_id):
        payout = self.state.store.get(payout_id, "payout")
        if payout is None:
            raise ControlError(404, f"no payout {payout_id}")
        return payout

    def _topup(self, topup_id):
        topup = self.state.store.get(topup_id, "topup")
        if topup is None:
            raise ControlError(404, f"no top-up {topup_id}")
        return topup

    def _account(self, account_id):
        account = connected_account(self.state.store, account_id)
        if account is None:
            raise ControlError(404, f"no connected account {account_id}")
        return account


def _required(body, field):
    if field not in body:
        raise ControlError(400, f"missing field: {field}")
    return body[field]
