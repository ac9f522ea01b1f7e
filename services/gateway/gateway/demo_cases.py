"""Demo cases for the run command, made through the public API as demo staff would.

- Amina Diallo: just registered.
- Mamadou Bah: counselled, return approved, application evaluated, plan approved by a
  supervisor (so budget is reserved), paid by mobile money, travelled and arrived: his first
  instalment is due and finance can prepare and release a payout batch in the admin UI.
- Mamadu Ba: the same man registered again with his name spelt differently, flagged as a
  possible duplicate for review.
- Claire Martin: a French national, rejected as ineligible (the programme admits non-EU
  nationals only), with the reason recorded.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Callable

CONSENT = {"given": True, "date": "2026-10-01", "scope": ["case_management", "reintegration_support"],
           "channels": ["sms"]}


def _person(given, family, born, nationality, phone, **extra) -> dict:
    return {"given_names": given, "family_names": family, "date_of_birth": born, "sex": "male",
            "nationality": nationality, "languages": ["fr"], "contact": {"phone": phone},
            "migratory_status": "irregular", "return_country": "GN", "return_city": "Conakry",
            "referral_source": "self", "consent": CONSENT,
            "intends_to_apply_for_reintegration": True, **extra}


PEOPLE = {
    "amina": _person("Amina", "Diallo", "1994-05-12", "GN", "+351912000101", sex="female"),
    "mamadou": _person("Mamadou", "Bah", "1988-03-30", "GN", "+351912000102",
                       vulnerability_factors=["homeless"]),
    "mamadu": _person("Mamadu", "Ba", "1988-03-30", "GN", "+351912000103"),
    "claire": _person("Claire", "Martin", "1979-11-02", "FR", "+351912000104", sex="female",
                      return_country="FR", return_city="Lyon"),
}
JOURNEY = (("counselled", {}), ("return_approved", {}),
           ("travel_booked", {"travel_date": "2026-11-10", "destination_airport": "CKY"}), ("departed", {}),
           ("arrived", {"arrival_date": "2026-11-11"}))
APPLICATION = {"interview_date": "2026-10-20", "needs": "income after return",
               "skills": "tailoring, 6 years", "intended_use": "a tailoring workshop in Conakry",
               "scores": {"needs": 8, "vulnerability": 7, "skills": 8,
                          "sustainability_and_feasibility": 7, "monitoring_available": 9}}
PLAN_LINES = [
    {"category": "income_generating_activity", "description": "two sewing machines and fabric",
     "amount": {"amount": 120000, "currency": "EUR"}, "supplier": {"name": "Conakry Textiles SARL"}},
    {"category": "housing", "description": "three months' rent for the workshop",
     "amount": {"amount": 45000, "currency": "EUR"},
     "justification": "the workshop needs premises; assessed in the individual analysis"},
]


def request_json(base: str, method: str, path: str, body=None,
                 headers: dict | None = None) -> tuple[int, object]:
    """One call to the public API: (status, decoded JSON answer), errors included."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class DemoApi:
    def __init__(self, base: str, login: Callable[[str], str]):
        self.base, self._login, self._tokens = base, login, {}

    def call(self, who: str, method: str, path: str, body=None, key: str | None = None):
        if who not in self._tokens:
            self._tokens[who] = self._login(who)
        headers = {"Authorization": f"Bearer {self._tokens[who]}"}
        if key:
            headers["Idempotency-Key"] = f"demo-seed:{key}"
        return request_json(self.base, method, path, body, headers)

    def must(self, who, method, path, body=None, key=None, ok=(200, 201, 202)):
        status, answer = self.call(who, method, path, body, key)
        if status not in ok:
            raise SystemExit(f"demo data: {method} {path} as {who} -> {status} {answer}")
        return answer

    def eventually(self, who, method, path, body=None, ok=(200, 201), done=(), seconds=30):
        """Services learn of each other's changes by events: retry while they catch up."""
        deadline = time.monotonic() + seconds
        while True:
            status, answer = self.call(who, method, path, body)
            if status in ok or status in done:
                return status, answer
            if time.monotonic() > deadline:
                raise SystemExit(f"demo data: {method} {path} as {who} -> {status} {answer}")
            time.sleep(0.5)


def seed(base: str, programme_id: str, login: Callable[[str], str]) -> list[str]:
    api = DemoApi(base, login)
    cases = {name: api.must("demo-caseworker", "POST", "/api/v1/cases",
                            dict(person, programme_id=programme_id), key=f"register:{name}")
             for name, person in PEOPLE.items()}
    mamadou = cases["mamadou"]["id"]
    _walk(api, mamadou, JOURNEY[:2])
    api.eventually("demo-caseworker", "POST", f"/api/v1/cases/{mamadou}/application", APPLICATION, done=(409,))
    plan = _approved_plan(api, mamadou)
    # He has no bank account: his allowance goes to his mobile-money wallet.
    api.must("demo-caseworker", "PUT", f"/api/v1/cases/{mamadou}/payout-method",
             {"route": "mobile_money", "details": {"phone": "+224620000102", "operator": "orange_money"}})
    _walk(api, mamadou, JOURNEY[2:])
    listed = ", ".join(f"{name} {case['id']} ({case['status']})" for name, case in cases.items())
    return [f"Demo cases: {listed}",
            f"Demo plan for Mamadou Bah: {plan['id']} ({plan['status']})"]


def _walk(api: DemoApi, case_id: str, steps) -> None:
    for to, data in steps:
        # Approving a return is the supervisor's decision (coordination with the authorities).
        who = "demo-supervisor" if to == "return_approved" else "demo-caseworker"
        status, answer = api.call(who, "POST", f"/api/v1/cases/{case_id}/transitions",
                                  {"to": to, "reason": "demo journey", "data": data},
                                  key=f"move:{case_id}:{to}")
        if status not in (200, 201) and not (status == 409 and to not in answer["error"].get("allowed", [to])):
            raise SystemExit(f"demo data: moving {case_id} to {to} -> {status} {answer}")


def _approved_plan(api: DemoApi, case_id: str) -> dict:
    status, plan = api.eventually("demo-caseworker", "POST", f"/api/v1/cases/{case_id}/plans",
                                  {"lines": PLAN_LINES}, done=(409,))
    if status == 409:
        plan = api.must("demo-caseworker", "GET", f"/api/v1/cases/{case_id}/plans")["items"][0]
    if plan["status"] == "draft":
        plan = api.must("demo-caseworker", "POST", f"/api/v1/plans/{plan['id']}/submit", {})
    if plan["status"] == "submitted":
        plan = api.must("demo-supervisor", "POST", f"/api/v1/plans/{plan['id']}/approve", {})
    return plan
