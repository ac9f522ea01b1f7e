"""/healthz: asks every service's `health` RPC at once, each with a deadline."""
from __future__ import annotations

import eventlet

SERVICES = ("intake", "plans", "payments", "monitoring", "notifications")
DEADLINE_SECONDS = 3


def check_all(rpc_proxies: dict, own_health: dict) -> tuple[int, dict]:
    pending = {name: rpc_proxies[name].health.call_async() for name in SERVICES}
    report = {"gateway": own_health}
    for name, reply in pending.items():
        report[name] = _result(reply)
    healthy = all(item.get("status") == "ok" for item in report.values())
    return (200 if healthy else 503), {"status": "ok" if healthy else "degraded", "services": report}


def _result(reply) -> dict:
    try:
        with eventlet.Timeout(DEADLINE_SECONDS):
            return reply.result()
    except eventlet.Timeout:
        return {"status": "down", "error": "no answer"}
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
