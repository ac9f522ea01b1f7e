"""Start a server as a subprocess for tests, and talk to its control API.

    with running_server(webhook_url=..., webhook_secret=...) as server:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": server.url})
        server.control("POST", "/_control/faults", {"kind": "api_error", "path": "/v1/transfers"})
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
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
