"""Cross-check with a third-party Stripe fake (localstripe, from PyPI): its signed payout
webhooks pass our verifier, and our payout status mapping reads its payouts as Stripe's."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import stripe

from payments.adapters.routes.stripe_bank import StripeBankRoute
from payments.adapters.routes.stripe_gateway import WebhookRejected, verify_webhook
from payments.service_layer.payout_route import FAILED, PAID

SECRET = "whsec_localstripe_check"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def localstripe():
    port = _free_port()
    command = [str(Path(sys.executable).with_name("localstripe")), "--port", str(port), "--from-scratch"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url + "/v1/balance")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_answering(url, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not _answers(url):
        if time.monotonic() > deadline:
            raise AssertionError(f"localstripe did not answer at {url}")
        time.sleep(0.1)


def _answers(url):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer sk_test_x"})
    try:
        with _NO_PROXY.open(request, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def localstripe_webhooks(localstripe, webhook_receiver):
    body = f"url={webhook_receiver.url}&secret={SECRET}".encode()
    request = urllib.request.Request(localstripe + "/_config/webhooks/reintegra", data=body, method="POST",
                                     headers={"Authorization": "Bearer sk_test_x"})
    with _NO_PROXY.open(request, timeout=5):
        pass
    webhook_receiver.drain()
    return webhook_receiver


def localstripe_payout(url, status, payout_id):
    # `status` is localstripe's own shortcut for settling a payout; Stripe has no such parameter.
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": url})
    return client.v1.payouts.create({"amount": 100_000, "currency": "eur", "status": status,
                                     "metadata": {"payout_id": payout_id, "transfer": "tr_elsewhere"}})


def payout_deliveries(receiver, eventually, types):
    """The payout.* deliveries (localstripe also sends balance.available), once `types` arrived."""
    seen = []

    def arrived():
        seen.extend(d for d in receiver.drain() if json.loads(d[1])["type"].startswith("payout."))
        return set(types) <= {json.loads(body)["type"] for _, body in seen}
    eventually(arrived, timeout=15)
    return seen


@pytest.mark.parametrize("status, expected", [("paid", (PAID, None)),
                                              ("failed", (FAILED, "provider_rejected"))])
def test_localstripe_payout_webhooks_pass_our_verifier_and_map_like_stripe(
        localstripe, localstripe_webhooks, eventually, status, expected):
    localstripe_payout(localstripe, status, f"payout-{status}")

    reports = {}
    for header, body in payout_deliveries(localstripe_webhooks, eventually, ["payout.created", f"payout.{status}"]):
        event = verify_webhook(body, header, SECRET)
        reports[event.type] = StripeBankRoute.report_from_event(event).report

    # localstripe snapshots the payout after settling it, so both events carry the outcome.
    assert set(reports) == {"payout.created", f"payout.{status}"}
    assert {(report.status, report.failure_reason) for report in reports.values()} == {expected}


def test_a_localstripe_delivery_with_a_changed_byte_is_rejected(localstripe, localstripe_webhooks, eventually):
    localstripe_payout(localstripe, "pending", "payout-tampered")

    [(header, body)] = payout_deliveries(localstripe_webhooks, eventually, ["payout.created"])
    changed = body.replace(b'"pending"', b'"paid"   ')

    assert json.loads(body)["type"] == "payout.created"
    with pytest.raises(WebhookRejected):
        verify_webhook(changed, header, SECRET)
