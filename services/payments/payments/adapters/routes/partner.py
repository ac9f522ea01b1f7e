"""The sandbox partner (fakes/sandbox_partner): mobile money (MTN MoMo's Disbursement API
shape) and cash-pickup vouchers, behind the payout route port.

- Idempotency: our key (a SHA-256 hex digest) is sent as `X-Reference-Id` in UUID form, the
  same for every call of one payout. A replay answers 202 again; 409 RESOURCE_ALREADY_EXIST
  (what real MoMo answers) is success too: the transfer's current state is fetched.
- Amounts cross as strings of integer minor units (the partner's convention).
- Timeouts, connection errors, 5xx and 429 raise `RouteUnavailable`; other 4xx are a final
  refusal with one of our FAILURE_REASONS.
- Bulk: `submit_many` / `fetch_many` use the partner's bulk endpoints (one HTTP call for
  hundreds of payouts), falling back to one call per payout when the partner has none.
"""
from __future__ import annotations

import base64
import time
import uuid

import requests

from payments import metrics
from payments.service_layer.payout_route import (FAILED, PAID, SUBMITTED, Payee, PayoutOrder,
                                                 PayoutRoute, ProviderReport, RouteUnavailable)

_REASONS = {
    "PAYEE_NOT_FOUND": "account_invalid",
    "INVALID_PAYEE": "account_invalid",
    "INVALID_RECIPIENT": "account_invalid",
    "PAYEE_NOT_ALLOWED_TO_RECEIVE": "account_closed",
    "PAYER_LIMIT_REACHED": "limit_exceeded",
    "INVALID_CURRENCY": "currency_not_supported",
    "EXPIRED": "voucher_expired",
}
_RETRYABLE = {429, 500, 502, 503, 504}
_BULK_LIMIT = 1000  # transfers or reference ids per bulk request


def reference_id_for(idempotency_key: str) -> str:
    """The key in the UUID form the partner requires, derived so that it never changes."""
    return str(uuid.UUID(hex=idempotency_key[:32]))


class PartnerRoute(PayoutRoute):
    def __init__(self, base_url: str, token: str | None = None, api_user: str | None = None,
                 api_key: str | None = None, route: str = "mobile_money",
                 timeout: float = 10.0, bulk: bool = True):
        if route not in ("mobile_money", "cash_pickup"):
            raise ValueError(f"the sandbox partner has no route {route!r}")
        self.name = route
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._credentials = (api_user, api_key) if api_user and api_key else None
        self._timeout = timeout
        self._bulk = bulk and route == "mobile_money"
        self._http = requests.Session()
        self._http.trust_env = False  # loopback partner: never through a proxy

    # The port -----------------------------------------------------------------------------

    def submit(self, order: PayoutOrder) -> ProviderReport:
        if self.name == "cash_pickup":
            return self._issue_voucher(order)
        response = self._call("submit", "POST", "/disbursement/v1_0/transfer",
                              json=self._transfer_body(order),
                              headers={"X-Reference-Id": reference_id_for(order.idempotency_key)})
        if response.status_code in (202, 409):
            # 202 is also the partner's answer to a replay (409 is real MoMo's): either way
            # the transfer exists, and its current state is what we report.
            return self._current_state(order)
        return _refused(response)

    def fetch_status(self, order: PayoutOrder) -> ProviderReport:
        reference = reference_id_for(order.idempotency_key)
        response = self._call("status", "GET", f"/disbursement/v1_0/transfer/{reference}")
        if response.status_code == 404:
            raise LookupError(f"the partner has never seen payout {order.payout_id}")
        if response.status_code != 200:
            raise RouteUnavailable(f"status answered {response.status_code}")
        return _report(response.json())

    def _current_state(self, order: PayoutOrder) -> ProviderReport:
        try:
            return self.fetch_status(order)
        except (LookupError, RouteUnavailable):
            return ProviderReport(SUBMITTED)  # accepted; the poller will learn the rest

    def account_holder_name(self, payee: Payee) -> str | None:
        phone = payee.details.get("phone")
        if self.name != "mobile_money" or not phone:
            return None
        response = self._call("basicuserinfo", "GET",
                              f"/disbursement/v1_0/accountholder/msisdn/{phone}/basicuserinfo")
        return response.json()["name"] if response.status_code == 200 else None

    # Bulk, when the partner offers it ----------------------------------------------------

    @property
    def orders_per_submission(self) -> int | None:
        return None if self._bulk else super().orders_per_submission

    def submit_many(self, orders: list[PayoutOrder]) -> dict[str, ProviderReport | RouteUnavailable]:
        if not self._bulk:
            return super().submit_many(orders)
        if len(orders) > _BULK_LIMIT:
            answers = {}
            for start in range(0, len(orders), _BULK_LIMIT):
                answers.update(self.submit_many(orders[start:start + _BULK_LIMIT]))
            return answers
        body = {"transfers": [{"referenceId": reference_id_for(o.idempotency_key),
                               **self._transfer_body(o)} for o in orders]}
        try:
            response = self._call("submit_bulk", "POST", "/disbursement/v1_0/bulktransfer",
                                  json=body)
        except RouteUnavailable as unavailable:
            return {o.payout_id: unavailable for o in orders}
        if response.status_code == 404:  # an older partner without the bulk endpoint
            self._bulk = False
            return super().submit_many(orders)
        if response.status_code != 202:
            unavailable = RouteUnavailable(f"bulk transfer answered {response.status_code}")
            return {o.payout_id: unavailable for o in orders}
        results = response.json()["results"]
        answers: dict[str, ProviderReport | RouteUnavailable] = {}
        for order, result in zip(orders, results):
            if (result["status"] in ("ACCEPTED", "DUPLICATE")
                    or result.get("code") == "RESOURCE_ALREADY_EXIST"):
                # The transfer exists either way; polling tells how it ends.
                answers[order.payout_id] = ProviderReport(SUBMITTED)
            else:
                answers[order.payout_id] = ProviderReport(
                    FAILED, failure_reason=_REASONS.get(result.get("code"), "provider_rejected"))
        return answers

    def fetch_many(self, orders: list[PayoutOrder]) -> dict[str, ProviderReport | None]:
        if not self._bulk:
            return super().fetch_many(orders)
        references = {reference_id_for(o.idempotency_key): o for o in orders}
        found: dict[str, dict | None] = {}
        ordered = list(references)
        for start in range(0, len(ordered), _BULK_LIMIT):
            response = self._call("status_bulk", "POST",
                                  "/disbursement/v1_0/transfer/status-query",
                                  json={"referenceIds": ordered[start:start + _BULK_LIMIT]})
            if response.status_code != 200:
                raise RouteUnavailable(f"bulk status answered {response.status_code}")
            found.update(response.json()["transfers"])
        return {order.payout_id: (_report(found[ref]) if found.get(ref) else None)
                for ref, order in references.items()}

    # HTTP ---------------------------------------------------------------------------------

    def _issue_voucher(self, order: PayoutOrder) -> ProviderReport:
        details = order.payee.details
        body = {"amount": str(order.amount.amount), "currency": order.amount.currency,
                "externalId": order.payout_id,
                "recipient": {"givenName": details.get("given_name"),
                              "familyName": details.get("family_name"),
                              "idDocument": {"type": str(details.get("id_document_type", "")).upper(),
                                             "number": details.get("id_document_number")}}}
        if order.voucher_expires_at is not None:  # the programme's expiry, fixed at release
            body["expiresAt"] = order.voucher_expires_at.isoformat().replace("+00:00", "Z")
        response = self._call("submit", "POST", "/cashpickup/v1_0/voucher", json=body,
                              headers={"X-Reference-Id": reference_id_for(order.idempotency_key)})
        if response.status_code == 201:
            return _voucher_report(response.json())
        if response.status_code == 409:
            return self.fetch_status(order)
        return _refused(response)

    @staticmethod
    def _transfer_body(order: PayoutOrder) -> dict:
        return {"amount": str(order.amount.amount), "currency": order.amount.currency,
                "externalId": order.payout_id,
                "payee": {"partyIdType": "MSISDN", "partyId": order.payee.details.get("phone")},
                "payerMessage": order.reference[:160]}

    def _call(self, call: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._access_token()}", **kwargs.pop("headers", {})}
        started = time.perf_counter()
        try:
            response = self._http.request(method, self.base_url + path, headers=headers,
                                          timeout=self._timeout, **kwargs)
        except requests.RequestException as error:
            metrics.PROVIDER_ERRORS.labels(self.name, call, type(error).__name__).inc()
            raise RouteUnavailable(f"{call}: {type(error).__name__}") from None
        finally:
            metrics.PROVIDER_LATENCY.labels(self.name, call).observe(time.perf_counter() - started)
        if response.status_code in _RETRYABLE:
            metrics.PROVIDER_ERRORS.labels(self.name, call, str(response.status_code)).inc()
            retry_after = response.headers.get("Retry-After")
            raise RouteUnavailable(f"{call} answered {response.status_code}",
                                   float(retry_after) if retry_after else None)
        if response.status_code in (401, 403):
            # Our credentials, not the payout, are wrong: nothing was sent; try again later.
            self._token = None if self._credentials else self._token
            metrics.PROVIDER_ERRORS.labels(self.name, call, str(response.status_code)).inc()
            raise RouteUnavailable(f"{call} answered {response.status_code}")
        return response

    def _access_token(self) -> str:
        if self._token is None and self._credentials:
            basic = base64.b64encode(":".join(self._credentials).encode()).decode()
            response = self._http.post(self.base_url + "/disbursement/token/",
                                       headers={"Authorization": f"Basic {basic}"},
                                       timeout=self._timeout)
            if response.status_code != 200:
                raise RouteUnavailable(f"token answered {response.status_code}")
            self._token = response.json()["access_token"]
        return self._token or ""


def _report(transfer: dict) -> ProviderReport:
    status = transfer.get("status")
    if status == "SUCCESSFUL":
        return ProviderReport(PAID, provider_reference=transfer.get("financialTransactionId"))
    if status == "FAILED":
        code = (transfer.get("reason") or {}).get("code")
        return ProviderReport(FAILED, failure_reason=_REASONS.get(code, "provider_rejected"))
    return ProviderReport(SUBMITTED)


def _voucher_report(voucher: dict) -> ProviderReport:
    """A voucher is paid when collected; until then the payee needs its code."""
    collection = {"voucher_code": voucher["voucherCode"], "expires_at": voucher["expiresAt"]}
    status = voucher["status"]
    if status == "COLLECTED":
        return ProviderReport(PAID, provider_reference=voucher.get("financialTransactionId"),
                              collection=collection)
    if status in ("EXPIRED", "CANCELLED"):
        reason = "voucher_expired" if status == "EXPIRED" else "provider_rejected"
        return ProviderReport(FAILED, failure_reason=reason, collection=collection)
    return ProviderReport(SUBMITTED, collection=collection)


def _refused(response: requests.Response) -> ProviderReport:
    try:
        code = response.json().get("code")
    except ValueError:
        code = None
    return ProviderReport(FAILED, failure_reason=_REASONS.get(code, "provider_rejected"))
