"""The loopback-only control API tests and demos use to steer the partner (no auth)."""
import dataclasses
import json
from typing import Callable

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from . import validation
from .clock import now_ms
from .errors import bad_request
from .faults import AfterAccept, FaultInjector
from .reasons import FAILURE_REASONS
from .responses import json_response
from .settings import PartnerSettings
from .store import PartnerStore, counts_by
from .views import ledger_entry, voucher_view

_MAX_COUNT = 100_000


class ControlApi:
    def __init__(self, store: PartnerStore, faults: FaultInjector, settings: PartnerSettings,
                 wake_background: Callable[[], None]):
        self._store = store
        self._faults = faults
        self._settings = settings
        self._startup_settings = dataclasses.replace(settings)
        self._wake_background = wake_background

    def rules(self) -> list[Rule]:
        return [
            Rule("/_control/health", methods=["GET"], endpoint=self.health),
            Rule("/_control/reset", methods=["POST"], endpoint=self.reset),
            Rule("/_control/settings", methods=["PUT"], endpoint=self.change_settings),
            Rule("/_control/faults", methods=["GET"], endpoint=self.describe_faults),
            Rule("/_control/faults/fail-next", methods=["POST"], endpoint=self.fail_next),
            Rule("/_control/faults/time-out-next", methods=["POST"], endpoint=self.time_out_next),
            Rule("/_control/faults/error-after-accept", methods=["POST"],
                 endpoint=self.error_after_accept),
            Rule("/_control/faults/duplicate-callbacks", methods=["POST"],
                 endpoint=self.duplicate_callbacks),
            Rule("/_control/faults/down", methods=["POST"], endpoint=self.go_down),
            Rule("/_control/faults/up", methods=["POST"], endpoint=self.come_up),
            Rule("/_control/account-holders", methods=["POST"], endpoint=self.add_account_holders),
            Rule("/_control/transfers", methods=["GET"], endpoint=self.transfers),
            Rule("/_control/transfers/counts", methods=["GET"], endpoint=self.transfer_counts),
            Rule("/_control/callbacks", methods=["GET"], endpoint=self.callbacks),
            Rule("/_control/collections", methods=["POST"], endpoint=self.collect_voucher),
            Rule("/_control/vouchers/<reference_id>/expire", methods=["POST"],
                 endpoint=self.expire_voucher),
        ]

    def health(self, request: Request) -> Response:
        return json_response({"status": "UP", "apiDown": self._faults.is_down()})

    def reset(self, request: Request) -> Response:
        """Forgets every transfer, voucher, callback, account holder, fault and setting change."""
        self._faults.reset()
        self._store.reset()
        self._settings.settle_delay_ms = self._startup_settings.settle_delay_ms
        return json_response({"status": "RESET"})

    def change_settings(self, request: Request) -> Response:
        body = _body(request)
        self._settings.settle_delay_ms = _whole_number(body, "settleDelayMs", minimum=0)
        return json_response({"settleDelayMs": self._settings.settle_delay_ms})

    def describe_faults(self, request: Request) -> Response:
        return json_response(self._faults.describe())

    def fail_next(self, request: Request) -> Response:
        body = _body(request)
        reason = body.get("reason")
        if reason not in FAILURE_REASONS:
            raise bad_request("BAD_REQUEST", f"reason must be one of {sorted(FAILURE_REASONS)}")
        self._faults.fail_next(_count(body), reason)
        return self.describe_faults(request)

    def time_out_next(self, request: Request) -> Response:
        body = _body(request)
        if body.get("dropConnection") is True:
            fault = AfterAccept("drop")
        else:
            fault = AfterAccept("timeout", _whole_number(body, "delayMs", minimum=1))
        self._faults.after_accept_next(_count(body), fault)
        return self.describe_faults(request)

    def error_after_accept(self, request: Request) -> Response:
        self._faults.after_accept_next(_count(_body(request)), AfterAccept("error"))
        return self.describe_faults(request)

    def duplicate_callbacks(self, request: Request) -> Response:
        body = _body(request)
        copies = _whole_number({"copies": 2, **body}, "copies", minimum=1)
        self._faults.duplicate_callbacks_next(_count(body), copies, body.get("stalePending") is True)
        return self.describe_faults(request)

    def go_down(self, request: Request) -> Response:
        body = _body(request)
        duration = None if body.get("durationMs") is None else _whole_number(body, "durationMs", 1)
        self._faults.go_down(duration)
        return self.describe_faults(request)

    def come_up(self, request: Request) -> Response:
        self._faults.come_up()
        return self.describe_faults(request)

    def add_account_holders(self, request: Request) -> Response:
        holders = _body(request).get("accountHolders")
        if not isinstance(holders, list):
            raise bad_request("BAD_REQUEST", "accountHolders must be a list")
        self._store.add_account_holders([_account_holder(holder) for holder in holders])
        return json_response({"added": len(holders)})

    def transfers(self, request: Request) -> Response:
        rows = self._store.ledger()
        return json_response({
            "transfers": [ledger_entry(row) for row in rows],
            "countsByExternalId": counts_by(rows, "external_id"),
            "submissionsByReferenceId": {row["reference_id"]: row["submissions"] for row in rows},
        })

    def transfer_counts(self, request: Request) -> Response:
        return json_response(self._store.transfer_counts())

    def callbacks(self, request: Request) -> Response:
        return json_response({"callbacks": [
            {"id": row["id"], "referenceId": row["reference_id"], "url": row["url"],
             "payload": json.loads(row["payload"]), "state": row["state"],
             "attempts": row["attempts"], "lastError": row["last_error"]}
            for row in self._store.callbacks()]})

    def collect_voucher(self, request: Request) -> Response:
        """An agent pays the voucher out after checking the collector's ID document."""
        body = _body(request)
        code, document = body.get("voucherCode"), body.get("idDocumentNumber")
        if not (isinstance(code, str) and isinstance(document, str)):
            raise bad_request("BAD_REQUEST", "voucherCode and idDocumentNumber are required")
        row = self._store.collect_voucher(code.strip().upper(), document, now_ms())
        self._wake_background()
        return json_response(voucher_view(row))

    def expire_voucher(self, request: Request, reference_id: str) -> Response:
        row = self._store.end_voucher(reference_id, "EXPIRED", now_ms())
        self._wake_background()
        return json_response(voucher_view(row))


def _body(request: Request) -> dict:
    return validation.json_object(request.get_data() or b"{}")


def _count(body: dict) -> int:
    count = _whole_number({"count": 1, **body}, "count", minimum=1)
    if count > _MAX_COUNT:
        raise bad_request("BAD_REQUEST", f"count must be at most {_MAX_COUNT}")
    return count


def _whole_number(body: dict, field: str, minimum: int) -> int:
    value = body.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise bad_request("BAD_REQUEST", f"{field} must be an integer of at least {minimum}")
    return value


def _account_holder(holder) -> tuple[str, str, str]:
    fields = (holder.get("msisdn"), holder.get("givenName"), holder.get("familyName")) \
        if isinstance(holder, dict) else (None, None, None)
    if not all(isinstance(field, str) and field.strip() for field in fields):
        raise bad_request("BAD_REQUEST", "each account holder needs msisdn, givenName, familyName")
    msisdn, given_name, family_name = fields
    return validation.normalise_msisdn(msisdn.strip()), given_name.strip(), family_name.strip()
