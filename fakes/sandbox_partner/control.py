"""A urllib client of the control API, for tests and demo scripts (not a payout route adapter)."""
import json
import urllib.error
import urllib.request

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ControlError(Exception):
    def __init__(self, status: int, body):
        super().__init__(f"control API answered {status}: {body}")
        self.status = status
        self.body = body


class PartnerControl:
    def __init__(self, base_url: str, timeout_s: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s

    def health(self) -> dict:
        return self._call("GET", "/_control/health")

    def reset(self) -> None:
        """Forgets all transfers, vouchers, callbacks, account holders, faults and settings."""
        self._call("POST", "/_control/reset")

    def set_settle_delay(self, delay_ms: int) -> None:
        self._call("PUT", "/_control/settings", {"settleDelayMs": delay_ms})

    def faults(self) -> dict:
        return self._call("GET", "/_control/faults")

    def fail_next_transfers(self, count: int, reason: str) -> None:
        """The next ``count`` new transfers settle as FAILED with ``reason`` (e.g. PAYEE_NOT_FOUND)."""
        self._call("POST", "/_control/faults/fail-next", {"count": count, "reason": reason})

    def time_out_next_submissions(self, count: int, delay_ms: int) -> None:
        """Store the next submissions, then answer only after ``delay_ms``."""
        self._call("POST", "/_control/faults/time-out-next", {"count": count, "delayMs": delay_ms})

    def drop_connection_after_next_submissions(self, count: int) -> None:
        """Store the next submissions, then close the connection without answering."""
        self._call("POST", "/_control/faults/time-out-next", {"count": count, "dropConnection": True})

    def answer_500_after_next_submissions(self, count: int) -> None:
        """Store the next submissions, then answer 500 INTERNAL_PROCESSING_ERROR."""
        self._call("POST", "/_control/faults/error-after-accept", {"count": count})

    def duplicate_callbacks_of_next_transfers(self, count: int, copies: int = 2,
                                              stale_pending: bool = False) -> None:
        """Send the final callback ``copies`` times, then optionally a stale PENDING one."""
        self._call("POST", "/_control/faults/duplicate-callbacks",
                   {"count": count, "copies": copies, "stalePending": stale_pending})

    def go_down(self, duration_ms: int | None = None) -> None:
        """Answer 503 to every operator API call, for ``duration_ms`` or until come_up()."""
        self._call("POST", "/_control/faults/down", {"durationMs": duration_ms})

    def come_up(self) -> None:
        self._call("POST", "/_control/faults/up")

    def add_account_holders(self, holders: list[dict]) -> None:
        """Registers KYC names: each holder is {"msisdn", "givenName", "familyName"}."""
        self._call("POST", "/_control/account-holders", {"accountHolders": holders})

    def transfers(self) -> dict:
        """All transfers and vouchers, with countsByExternalId and submissionsByReferenceId."""
        return self._call("GET", "/_control/transfers")

    def transfer_counts(self) -> dict:
        """Totals for large runs: transfers, distinctExternalIds, submissions,
        maxPerExternalId, byStatus."""
        return self._call("GET", "/_control/transfers/counts")

    def callbacks(self) -> list[dict]:
        return self._call("GET", "/_control/callbacks")["callbacks"]

    def collect_voucher(self, voucher_code: str, id_document_number: str) -> dict:
        return self._call("POST", "/_control/collections",
                          {"voucherCode": voucher_code, "idDocumentNumber": id_document_number})

    def expire_voucher(self, reference_id: str) -> dict:
        return self._call("POST", f"/_control/vouchers/{reference_id}/expire")

    def _call(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with _OPENER.open(request, timeout=self._timeout_s) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise ControlError(error.code, json.loads(error.read() or b"null")) from None
