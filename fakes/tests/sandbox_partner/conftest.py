"""Fixtures: a real sandbox partner process, a raw HTTP caller for its operator API, and a
local callback receiver. One partner serves the whole session; each test starts from reset."""
import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sandbox_partner.process import SandboxPartnerProcess

SETTLE_DELAY_MS = 50
FINAL_STATUSES = {"SUCCESSFUL", "FAILED"}


@dataclass
class Reply:
    status: int
    body: object
    headers: dict


class OperatorCaller:
    """Speaks the operator API the way a payer's adapter would, without hiding any answer."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.token = token

    def request(self, method, path, body=None, headers=None, timeout_s=5.0) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)
        all_headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                       **(headers or {})}
        try:
            connection.request(method, path, None if body is None else json.dumps(body), all_headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        return Reply(response.status, json.loads(raw) if raw else None, dict(response.headers))

    def submit_transfer(self, body, reference_id=None, callback_url=None, **options) -> Reply:
        headers = {"X-Reference-Id": reference_id or str(uuid.uuid4())}
        if callback_url:
            headers["X-Callback-Url"] = callback_url
        return self.request("POST", "/disbursement/v1_0/transfer", body, headers, **options)

    def transfer(self, reference_id) -> Reply:
        return self.request("GET", f"/disbursement/v1_0/transfer/{reference_id}")

    def issue_voucher(self, body, reference_id=None, callback_url=None) -> Reply:
        headers = {"X-Reference-Id": reference_id or str(uuid.uuid4())}
        if callback_url:
            headers["X-Callback-Url"] = callback_url
        return self.request("POST", "/cashpickup/v1_0/voucher", body, headers)

    def voucher(self, reference_id) -> Reply:
        return self.request("GET", f"/cashpickup/v1_0/voucher/{reference_id}")

    def wait_for_final_transfer(self, reference_id, timeout_s=3.0) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            view = self.transfer(reference_id).body
            if view["status"] in FINAL_STATUSES:
                return view
            time.sleep(0.01)
        raise AssertionError(f"transfer {reference_id} still {view['status']} after {timeout_s} s")


class CallbackReceiver:
    """A payer's callback endpoint on loopback that can be told to fail its next requests."""

    def __init__(self):
        self.received: list[dict] = []
        self.refused: list[dict] = []
        self._refuse_next = 0
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/payouts/callback"

    def refuse_next(self, count: int) -> None:
        with self._changed:
            self._refuse_next = count

    def wait_for(self, count: int, timeout_s: float = 3.0) -> list[dict]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.received) >= count, timeout_s):
                raise AssertionError(f"got {len(self.received)} callbacks, expected {count}")
            return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, payload: dict) -> int:
        with self._changed:
            if self._refuse_next:
                self._refuse_next -= 1
                self.refused.append(payload)
                return 500
            self.received.append(payload)
            self._changed.notify_all()
            return 200

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(receiver._record(payload))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture(scope="session")
def partner_process(tmp_path_factory):
    process = SandboxPartnerProcess(tmp_path_factory.mktemp("partner"),
                                    settle_delay_ms=SETTLE_DELAY_MS,
                                    extra_args=("--callback-backoff-ms", "20"))
    with process:
        yield process


@pytest.fixture
def control(partner_process):
    partner_process.control.reset()
    return partner_process.control


@pytest.fixture
def operator(partner_process, control):
    return OperatorCaller(partner_process.port, partner_process.token)


@pytest.fixture
def callbacks():
    receiver = CallbackReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def transfer_body():
    def make(external_id="payout-1", amount="150000", msisdn="+2207000001"):
        return {"amount": amount, "currency": "EUR", "externalId": external_id,
                "payee": {"partyIdType": "MSISDN", "partyId": msisdn},
                "payerMessage": "Reintegration allowance", "payeeNote": "Instalment 1"}
    return make


@pytest.fixture
def voucher_body():
    def make(external_id="payout-cash-1", **overrides):
        return {"amount": "100000", "currency": "EUR", "externalId": external_id,
                "recipient": {"givenName": "Awa", "familyName": "Jallow",
                              "idDocument": {"type": "PASSPORT", "number": "GM1234567"}},
                **overrides}
    return make


@pytest.fixture
def own_partner(tmp_path):
    """A partner of the test's own, for restarts and kills; stopped at the end."""
    process = SandboxPartnerProcess(tmp_path / "partner", settle_delay_ms=SETTLE_DELAY_MS,
                                    extra_args=("--callback-backoff-ms", "20"))
    yield process
    process.stop()


@pytest.fixture
def caller_for():
    """Makes an operator-API caller for a partner started by the test itself."""
    return lambda process: OperatorCaller(process.port, process.token)
