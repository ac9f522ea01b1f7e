"""Start a server as a subprocess for tests, talk to its control API, receive its webhooks.

    with running_server(webhook_url=..., webhook_secret=...) as server:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": server.url})
        server.control("POST", "/_control/faults", {"kind": "api_error", "path": "/v1/transfers"})
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class RunningServer:
    def __init__(self, process, url):
        self.process = process
        self.url = url

    def control(self, method, path, body=None):
        """Call the control API; returns (status, decoded JSON)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with _NO_PROXY.open(request, timeout=10) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as failure:
            return failure.code, json.load(failure)

    def ok(self, method, path, body=None):
        """Call the control API and insist on success; returns the decoded JSON."""
        status, answer = self.control(method, path, body)
        if status != 200:
            raise AssertionError(f"{method} {path} answered {status}: {answer}")
        return answer

    def reset(self):
        self.ok("POST", "/_control/reset")

    def arm_fault(self, **fault):
        return self.ok("POST", "/_control/faults", fault)["fault"]

    def counts(self):
        return self.ok("GET", "/_control/objects")["counts"]

    def objects(self, object_type):
        return self.ok("GET", f"/_control/objects/{object_type}")["data"]


@contextmanager
def running_server(*extra_args, webhook_url=None, webhook_secret=None):
    """A server on a free loopback port, stopped (by its own pid) on exit."""
    command = [sys.executable, "-m", "stripe_server", "--port", "0", *extra_args]
    if webhook_url:
        command += ["--webhook-url", webhook_url, "--webhook-secret", webhook_secret]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_PARENT,
                                                                      os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        first_line = process.stdout.readline()
        if "listening on " not in first_line:
            raise RuntimeError(f"stripe_server did not start: {first_line!r}")
        yield RunningServer(process, first_line.rsplit(" ", 1)[-1].strip())
    finally:
        process.terminate()
        process.wait(timeout=10)


class WebhookReceiver:
    """A webhook endpoint on loopback for tests: keeps each delivery's raw bytes and
    `Stripe-Signature` header (what a verifier needs) and can refuse the next few with 500s."""

    def __init__(self, path="/stripe/webhooks"):
        self.deliveries = queue.Queue()  # (signature header, raw body, refused)
        self.refuse_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                refused = receiver.refuse_next > 0
                receiver.refuse_next -= refused
                receiver.deliveries.put((self.headers.get("Stripe-Signature"), body, refused))
                self.send_response(500 if refused else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_port}{path}"
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def next(self, timeout=5):
        """(signature header, raw body, refused) of the next delivery."""
        return self.deliveries.get(timeout=timeout)

    def next_of_type(self, event_type, timeout=5):
        """(signature header, raw body) of the next delivery of `event_type`, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            signature, body, _ = self.next(max(deadline - time.monotonic(), 0.01))
            if json.loads(body)["type"] == event_type:
                return signature, body

    def drain(self):
        """Every delivery received so far, as (signature header, raw body)."""
        found = []
        while not self.deliveries.empty():
            signature, body, _ = self.deliveries.get()
            found.append((signature, body))
        return found

    def close(self):
        self._http.shutdown()
        self._http.server_close()
