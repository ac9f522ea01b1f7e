"""One flow that crosses every service, driven through the gateway's HTTP API."""


def a_person(programme_id, **overrides):
    # Nobody else in the end-to-end run is registered under this name and birth date, so
    # the registration below has no possible duplicates.
    return {"programme_id": programme_id, "given_names": "Mariama", "family_names": "Sow",
            "date_of_birth": "1988-07-14", "sex": "female", "nationality": "GN",
            "languages": ["fr"], "migratory_status": "irregular", "return_country": "GN",
            "referral_source": "self",
            "consent": {"given": True, "date": "2026-01-05", "scope": ["case_management"]},
            "intends_to_apply_for_reintegration": True, **overrides}


def test_healthz_reports_all_six_services_up(api):
    status, report = api.call("GET", "/healthz")
    assert status == 200
    assert set(report["services"]) == {"gateway", "intake", "plans", "payments", "monitoring", "notifications"}
    assert all(service["status"] == "ok" for service in report["services"].values())


def test_a_case_registered_at_the_gateway_reaches_every_service(api, programme_id, services_rpc, eventually):
    token = api.login("caseworker")
    status, created = api.call("POST", "/api/v1/cases", a_person(programme_id), token=token)
    assert status == 201, created
    assert created["status"] == "registered" and created["possible_duplicates"] == []
    case_id = created["id"]

    assert eventually(lambda: services_rpc.plans.get_case_facts(case_id))["status"] == "registered"
    assert eventually(lambda: services_rpc.payments.get_beneficiary_case(case_id))["return_country"] == "GN"
    assert eventually(lambda: services_rpc.monitoring.get_followed_case(case_id))["programme_id"] == programme_id
    assert eventually(lambda: services_rpc.notifications.staff_notices_for_case(case_id)) == ["case_registered"]

    status, case = api.call("GET", f"/api/v1/cases/{case_id}", token=api.login("supervisor"))
    assert status == 200 and case["status"] == "registered"


def test_the_programme_reaches_plans_and_payments_through_events(api, programme_id, services_rpc, eventually):
    status, programme = api.call("GET", f"/api/v1/programmes/{programme_id}", token=api.login("finance_officer"))
    assert status == 200
    assert programme["allowance_cap"] == {"amount": 200000, "currency": "EUR"}
    assert programme["instalment_split"] == [50, 50]


def test_bad_input_gets_400_naming_each_field_and_creates_nothing(api, programme_id):
    token = api.login("caseworker")
    status, answer = api.call("POST", "/api/v1/cases", a_person(programme_id, date_of_birth="3 Feb 1990",
                                                                nationality="Guinea"), token=token)
    assert status == 400
    assert set(answer["error"]["fields"]) == {"date_of_birth", "nationality"}
    status, answer = api.call("POST", "/api/v1/cases", raw=b"{not json", token=token)
    assert status == 400 and "body" in answer["error"]["fields"]


def test_an_unknown_case_is_404_not_500(api):
    status, answer = api.call("GET", "/api/v1/cases/does-not-exist", token=api.login("caseworker"))
    assert status == 404 and answer["error"]["code"] == "not_found"
