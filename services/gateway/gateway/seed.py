"""Demo data for the run command: one user per role, a demo programme and a few cases.

    python -m gateway.seed --database-url URL --api http://127.0.0.1:8000 --credentials FILE

Users go straight into the gateway's own database (it owns them); everything else goes
through the public API as the demo staff would do it, so the demo exercises the real rules
(eligibility, duplicates, the journey, four-eyes approval). Safe to run twice: an existing
user keeps the password recorded in the credentials file, the programme is kept, and every
case step carries an Idempotency-Key or is recognised as already done.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from reintegra.messaging.storage import Store

from gateway import auth, demo_cases
from gateway.access import ROLES

DEMO_PROGRAMME = {
    "code": "ARVORE-DEMO", "name": "ARVoRe demo programme (Portugal)", "host_country": "PT",
    "currency": "EUR", "start_date": "2026-01-01", "end_date": "2027-12-31",
    "allowance_cap": {"amount": 200000, "currency": "EUR"}, "instalment_split": [50, 50],
    "monitoring_months": 6, "justification_threshold_percent": 100,
    "funding_sources": [{"code": "EU-AMIF", "budget": {"amount": 7500000, "currency": "EUR"}},
                        {"code": "PT-NATIONAL", "budget": {"amount": 2500000, "currency": "EUR"}}],
}


def seed_users(store: Store, credentials: Path) -> dict:
    known = json.loads(credentials.read_text()) if credentials.exists() else {}
    for role in ROLES:
        username = f"demo-{role.replace('_', '-')}"
        password = known.get(username) or secrets.token_urlsafe(12)
        with store.unit_of_work() as uow:
            try:
                auth.create_user(uow.session, username, password, role)
                uow.commit()
                known[username] = password
            except auth.Conflict:
                pass  # already there from an earlier run
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(json.dumps(known, indent=2))
    os.chmod(credentials, 0o600)
    return known


def _post(api: str, path: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    return demo_cases.request_json(api, "POST", path, body,
                                   {"Authorization": f"Bearer {token}"} if token else None)


def login(api: str, username: str, password: str) -> str:
    status, answer = _post(api, "/api/v1/auth/login", {"username": username, "password": password})
    if status != 200:
        raise SystemExit(f"{username} cannot log in: {status} {answer}")
    return answer["token"]


def seed_programme(api: str, admin_password: str) -> str:
    token = login(api, "demo-admin", admin_password)
    status, created = _post(api, "/api/v1/programmes", DEMO_PROGRAMME, token)
    if status == 201:
        return created["id"]
    if status == 409:
        return created["error"]["programme_id"]
    raise SystemExit(f"demo programme not created: {status} {created}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--credentials", type=Path, required=True)
    args = parser.parse_args(argv)
    store = Store(args.database_url, source="gateway")
    users = seed_users(store, args.credentials)
    programme_id = seed_programme(args.api, users["demo-admin"])
    print(f"Demo programme ARVORE-DEMO: {programme_id}")
    for line in demo_cases.seed(args.api, programme_id, lambda u: login(args.api, u, users[u])):
        print(line)
    print("Demo users (username  password):")
    for username, password in users.items():
        print(f"  {username:<24} {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
