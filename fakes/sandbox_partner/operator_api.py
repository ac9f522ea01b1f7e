"""The payer-facing API, shaped like MTN MoMo's Disbursement API, plus cash-pickup vouchers."""
import base64
import hmac
import socket
import time
from typing import Callable

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from . import validation
from .clock import now_ms
from .errors import PartnerError, bad_request
from .faults import AfterAccept, FaultInjector
from .responses import json_response
from .settings import PartnerSettings
from .store import Outcome, PartnerStore, Recipient, Submission
from .views import transfer_view, voucher_view

TOKEN_PATH = "/disbursement/token/"
_DAY_MS = 86_400_000
_BULK_LIMIT = 1000
_BULK_STATUS = {Outcome.CREATED: "ACCEPTED", Outcome.REPLAYED: "DUPLICATE",
                Outcome.CONFLICT: "REJECTED"}


class OperatorApi:
    def __init__(self, store: PartnerStore, faults: FaultInjector, settings: PartnerSettings,
                 wake_background: Callable[[], None]):
        self._store = store
        self._faults = faults
        self._settings = settings
        self._wake_background = wake_background

    def rules(self) -> list[Rule]:
        return [
            Rule(TOKEN_PATH, methods=["POST"], endpoint=self.issue_token),
            Rule("/disbursement/v1_0/transfer", methods=["POST"], endpoint=self.submit_transfer),
            Rule("/disbursement/v1_0/transfer/<reference_id>", methods=["GET"],
                 endpoint=self.transfer_status),
            Rule("/disbursement/v1_0/bulktransfer", methods=["POST"], endpoint=self.submit_bulk),
            Rule("/disbursement/v1_0/transfer/status-query", methods=["POST"],
                 endpoint=self.bulk_status),
            Rule("/disbursement/v1_0/accountholder/msisdn/<msisdn>/basicuserinfo", methods=["GET"],
                 endpoint=self.basic_user_info),
            Rule("/disbursement/v1_0/accountholder/<id_type>/<holder_id>/active", methods=["GET"],
                 endpoint=self.account_holder_active),
            Rule("/cashpickup/v1_0/voucher", methods=["POST"], endpoint=self.issue_voucher),
            Rule("/cashpickup/v1_0/voucher/<reference_id>", methods=["GET"],
                 endpoint=self.voucher_status),
            Rule("/cashpickup/v1_0/voucher/<reference_id>/cancel", methods=["POST"],
                 endpoint=self.cancel_voucher),
        ]

    def authorize(self, request: Request) -> None:
        if request.path == TOKEN_PATH:
            return
        expected = f"Bearer {self._settings.token}"
        if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
            raise PartnerError(401, "UNAUTHORIZED", "a valid Bearer access token is required")

    def issue_token(self, request: Request) -> Response:
        credentials = f"{self._settings.api_user}:{self._settings.api_key}".encode()
        expected = f"Basic {base64.b64encode(credentials).decode()}"
        if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
            raise PartnerError(401, "UNAUTHORIZED", "API user and key do not match")
        return json_response({"access_token": self._settings.token,
                              "token_type": "access_token", "expires_in": 3600})

    def submit_transfer(self, request: Request) -> Response:
        body = validation.json_object(request.get_data())
        now = now_ms()
        envelope = _envelope(request.headers.get("X-Reference-Id"),
                             request.headers.get("X-Callback-Url"), body, now)
        submission = Submission(**envelope, **validation.transfer_fields(body), kind="transfer",
                                settle_at=now + self._settings.settle_delay_ms)
        self._submit(submission)
        return self._answer_after_accept(request, Response(status=202))

    def submit_bulk(self, request: Request) -> Response:
        """Up to 1,000 transfers in one request, each with its own `referenceId` and the same
        rules as a single transfer (bulk disbursement, as Flutterwave or Paystack offer it).
        Answers 202 with one result per transfer, in order: ACCEPTED, DUPLICATE (a replay), or
        REJECTED with the code a single transfer would have got."""
        items = validation.json_object(request.get_data()).get("transfers")
        if not isinstance(items, list) or not 0 < len(items) <= _BULK_LIMIT:
            raise bad_request("BAD_REQUEST", f"transfers must be a list of 1 to {_BULK_LIMIT}")
        now = now_ms()
        results: list[dict | None] = [None] * len(items)
        accepted: list[tuple[int, Submission]] = []
        for index, item in enumerate(items):
            try:
                accepted.append((index, self._bulk_submission(item, now)))
            except PartnerError as refused:
                reference = item.get("referenceId") if isinstance(item, dict) else None
                results[index] = {"referenceId": reference, "status": "REJECTED",
                                  "code": refused.code}
        outcomes = self._store.submit_many([s for _, s in accepted], self._faults.plan_new)
        for (index, submission), outcome in zip(accepted, outcomes):
            results[index] = {"referenceId": submission.reference_id,
                              "status": _BULK_STATUS[outcome]}
            if outcome is Outcome.CONFLICT:
                results[index]["code"] = "RESOURCE_ALREADY_EXIST"
        self._wake_background()
        return self._answer_after_accept(request, json_response({"results": results}, 202))

    def bulk_status(self, request: Request) -> Response:
        """The transfers of up to 1,000 reference ids: {referenceId: transfer or null}."""
        references = validation.json_object(request.get_data()).get("referenceIds")
        if not isinstance(references, list) or not 0 < len(references) <= _BULK_LIMIT:
            raise bad_request("BAD_REQUEST", f"referenceIds must be a list of 1 to {_BULK_LIMIT}")
        found = self._store.transfers([str(r) for r in references])
        return json_response({"transfers": {
            str(r): (transfer_view(found[r]) if r in found else None) for r in references}})

    def _bulk_submission(self, item, now: int) -> Submission:
        if not isinstance(item, dict):
            raise bad_request("BAD_REQUEST", "each transfer must be a JSON object")
        body = {k: v for k, v in item.items() if k not in ("referenceId", "callbackUrl")}
        envelope = _envelope(item.get("referenceId"), item.get("callbackUrl"), body, now)
        return Submission(**envelope, **validation.transfer_fields(body), kind="transfer",
                          settle_at=now + self._settings.settle_delay_ms)

    def transfer_status(self, request: Request, reference_id: str) -> Response:
        return json_response(transfer_view(self._known(self._store.transfer(reference_id))))

    def basic_user_info(self, request: Request, msisdn: str) -> Response:
        holder = self._known(self._store.account_holder(validation.normalise_msisdn(msisdn)))
        return json_response({"given_name": holder["given_name"], "family_name": holder["family_name"],
                              "name": f"{holder['given_name']} {holder['family_name']}"})

    def account_holder_active(self, request: Request, id_type: str, holder_id: str) -> Response:
        if id_type.lower() != "msisdn":
            raise bad_request("NOT_ALLOWED", "only msisdn account holders are known here")
        holder = self._store.account_holder(validation.normalise_msisdn(holder_id))
        return json_response({"result": holder is not None})

    def issue_voucher(self, request: Request) -> Response:
        body = validation.json_object(request.get_data())
        now = now_ms()
        envelope = _envelope(request.headers.get("X-Reference-Id"),
                             request.headers.get("X-Callback-Url"), body, now)
        fields = validation.voucher_fields(
            body, now, now + self._settings.voucher_validity_days * _DAY_MS)
        recipient = Recipient(**fields.pop("recipient"), expires_at=fields.pop("expires_at"))
        submission = Submission(**envelope, **fields, kind="voucher")
        row = self._submit(submission, recipient)
        return self._answer_after_accept(request, json_response(voucher_view(row), 201))

    def voucher_status(self, request: Request, reference_id: str) -> Response:
        return json_response(voucher_view(self._known(self._store.voucher(reference_id))))

    def cancel_voucher(self, request: Request, reference_id: str) -> Response:
        row = self._store.end_voucher(reference_id, "CANCELLED", now_ms())
        self._wake_background()
        return json_response(voucher_view(row))

    def _submit(self, submission: Submission, recipient: Recipient | None = None) -> dict:
        outcome, row = self._store.submit(submission, self._faults.plan_new, recipient)
        if outcome is Outcome.CONFLICT:
            raise PartnerError(409, "RESOURCE_ALREADY_EXIST",
                               "this X-Reference-Id was already used for a different request")
        self._wake_background()
        return row

    def _answer_after_accept(self, request: Request, response: Response) -> Response:
        """Applies an armed fault to the answer; the submission is already stored either way."""
        fault: AfterAccept | None = self._faults.take_after_accept()
        if fault is None:
            return response
        if fault.kind == "error":
            raise PartnerError(500, "INTERNAL_PROCESSING_ERROR", "the operator failed after accepting")
        if fault.kind == "timeout":
            time.sleep(fault.delay_ms / 1000)
            return response
        _drop_connection(request)
        return response

    @staticmethod
    def _known(row: dict | None) -> dict:
        if row is None:
            raise PartnerError(404, "RESOURCE_NOT_FOUND", "the requested resource does not exist")
        return row


def _envelope(reference, callback, body: dict, now: int) -> dict:
    """What every submission carries besides its money fields, validated in this order: the
    reference id, the callback url, then the request's fingerprint. A single submission takes
    the first two from its headers, a bulk item from its own fields."""
    return {"reference_id": validation.reference_id(reference),
            "callback_url": validation.callback_url(callback),
            "fingerprint": validation.fingerprint(body), "accepted_at": now}


def _drop_connection(request: Request) -> None:
    # The server then fails to write the answer and treats it as a dropped connection.
    request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
