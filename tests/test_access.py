"""Login, tokens and roles at the gateway."""
import pytest


def test_login_returns_a_token_its_role_and_when_it_expires(api):
    status, answer = api.call("POST", "/api/v1/auth/login", {"username": "auditor", "password": "correct horse battery staple"})
    assert status == 200
    assert answer["role"] == "auditor" and answer["token"] and answer["expires_at"]


@pytest.mark.parametrize("username, password", [("auditor", "wrong"), ("nobody", "correct horse battery staple")])
def test_a_wrong_password_or_unknown_user_gets_the_same_401(api, username, password):
    status, answer = api.call("POST", "/api/v1/auth/login", {"username": username, "password": password})
    assert status == 401
    assert answer["error"]["message"] == "wrong username or password"


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_missing_or_unknown_token_gets_401(api, token):
    status, _ = api.call("GET", "/api/v1/programmes", token=token)
    assert status == 401


@pytest.mark.parametrize("role", ["supervisor", "finance_officer", "operations", "admin", "auditor"])
def test_only_caseworkers_may_register_a_case(api, programme_id, role):
    status, answer = api.call("POST", "/api/v1/cases", {"programme_id": programme_id}, token=api.login(role))
    assert status == 403 and answer["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "finance_officer", "operations", "auditor"])
def test_only_admins_may_create_a_programme(api, role):
    status, _ = api.call("POST", "/api/v1/programmes", {"code": "X"}, token=api.login(role))
    assert status == 403


def test_operations_staff_see_no_personal_data(api, programme_id):
    status, _ = api.call("GET", "/api/v1/cases/anything", token=api.login("operations"))
    assert status == 403
