"""Provider webhooks (Stripe) applied once by event id, and payee holds.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies, and the runner the service builds (`_runner`).
"""
import base64
import binascii

from nameko.rpc import rpc

from reintegra.contracts.errors import InvalidInput, NotFound

from payments.adapters.routes.registry import build_stripe_webhooks
from payments.entrypoints.dependencies import FromConfig
from payments.service_layer import payee_confirmation
from payments.service_layer.provider_events import EventRejected, apply_provider_event


class ProviderEventEntrypoints:
    # The verifier of Stripe deliveries, built once from PAYOUT_ROUTES (None: no Stripe route).
    stripe_webhooks = FromConfig(build_stripe_webhooks)

    @rpc
    def receive_stripe_webhook(self, payload_base64: str, signature_header: str | None) -> dict:
        """A delivery to the gateway's Stripe endpoint: its raw bytes (base64, so that not one
        byte changes on the way) and its `Stripe-Signature` header."""
        if self.stripe_webhooks is None:
            raise NotFound("no payout route uses Stripe here")
        try:
            payload = base64.b64decode(payload_base64, validate=True)
            event = self.stripe_webhooks.read(payload, signature_header)
        except (EventRejected, binascii.Error) as rejected:
            raise InvalidInput(f"Stripe webhook rejected: {rejected}",
                               fields={"Stripe-Signature": [str(rejected)]}) from None
        return apply_provider_event(self.db, self._runner(), event)

    @rpc
    def list_payout_holds(self) -> dict:
        with self.db.unit_of_work() as uow:
            return payee_confirmation.pending_holds(uow.session)

    @rpc
    def release_payout_hold(self, hold_id: str, body: dict) -> dict:
        return payee_confirmation.release_hold(self.db, hold_id, self.caller, (body or {}).get("reason"))

    @rpc
    def reject_payout_hold(self, hold_id: str, body: dict) -> dict:
        return payee_confirmation.reject_hold(self.db, self._runner(), hold_id, self.caller,
                                              (body or {}).get("reason"))
