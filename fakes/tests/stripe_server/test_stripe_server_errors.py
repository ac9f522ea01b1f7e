"""Stripe's error shapes and headers, seen through the official SDK and as raw HTTP."""
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe


NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def raw(server, method, path, form=None, headers=None):
    """(status, headers, decoded body) of a plain HTTP request, errors included."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=headers or {})
    try:
        with NO_PROXY.open(request, timeout=10) as answer:
            return answer.status, answer.headers, json.load(answer)
    except urllib.error.HTTPError as failure:
        return failure.code, failure.headers, json.load(failure)


BEARER = {"Authorization": "Bearer sk_test_reintegra"}


def test_a_request_without_an_api_key_is_a_401_asking_for_bearer_auth(server):
    status, headers, body = raw(server, "GET", "/v1/balance")

    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"
    assert "Authorization: Bearer" in body["error"]["message"]
    assert re.fullmatch(r"req_[A-Za-z0-9]{14}", headers["Request-Id"])


def test_a_live_mode_key_is_refused_without_echoing_it(server):
    live_key = {"Authorization": "Bearer sk_live_abcdefgh1234"}

    status, _, body = raw(server, "GET", "/v1/balance", headers=live_key)

    assert status == 401
    assert body["error"]["message"] == "Invalid API Key provided: sk_live_********1234"


def test_the_sdk_raises_authentication_error_for_a_bad_key(server):
    with pytest.raises(stripe.AuthenticationError) as refused:
        stripe.StripeClient("sk_wrong", base_addresses={"api": server.url}).v1.balance.retrieve()

    assert refused.value.http_status == 401


def test_an_unknown_object_is_a_404_resource_missing_on_param_id(client):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.transfers.retrieve("tr_doesnotexist")

    error = missing.value.json_body["error"]
    assert missing.value.http_status == 404
    assert (error["type"], error["code"]) == ("invalid_request_error", "resource_missing")
    assert error["param"] == "id"
    assert error["message"] == "No such transfer: 'tr_doesnotexist'"
    assert error["doc_url"] == "https://stripe.com/docs/error-codes/resource-missing"
    assert error["request_log_url"].startswith(
        f"https://dashboard.stripe.com/test/logs/{missing.value.request_id}")


def test_an_unknown_url_is_an_unrecognized_request_url_404(server):
    status, _, body = raw(server, "GET", "/v1/charges_in_bulk", headers=BEARER)

    assert status == 404
    assert body["error"]["message"].startswith("Unrecognized request URL (GET: /v1/charges_in_bulk).")


def test_a_missing_required_parameter_is_named(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create({"amount": 1_000, "currency": "eur"})

    assert (refused.value.code, refused.value.param) == ("parameter_missing", "destination")


def test_a_parameter_stripe_would_not_know_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.transfers.create({"amount": 1_000, "currency": "eur", "destination": "acct_x",
                                    "amount_decimal": "10.00"})

    assert (refused.value.code, refused.value.param) == ("parameter_unknown", "amount_decimal")


def test_a_rate_limit_is_a_429_that_tells_the_client_to_retry(server):
    server.arm_fault(kind="rate_limit", path="/v1/balance")
    no_retries = stripe.StripeClient("sk_test_reintegra", base_addresses={"api": server.url})

    with pytest.raises(stripe.RateLimitError) as limited:
        no_retries.v1.balance.retrieve()

    assert limited.value.http_status == 429
    assert limited.value.headers["Stripe-Should-Retry"] == "true"
    assert limited.value.json_body["error"]["code"] == "rate_limit"


def test_the_sdk_retries_a_rate_limited_request_and_succeeds(server):
    server.arm_fault(kind="rate_limit", path="/v1/balance")
    retrying = stripe.StripeClient("sk_test_reintegra", base_addresses={"api": server.url},
                                   max_network_retries=1)

    balance = retrying.v1.balance.retrieve()

    statuses = [entry["status"] for entry in server.ok("GET", "/_control/requests")["data"]]
    assert balance.object == "balance"
    assert statuses == [429, 200]


def test_an_api_error_is_a_500_of_type_api_error(server, client):
    server.arm_fault(kind="api_error", path="/v1/balance", timing="before")

    with pytest.raises(stripe.APIError) as failed:
        client.v1.balance.retrieve()

    assert failed.value.http_status == 500
    assert failed.value.json_body["error"] == {
        "message": "An unknown error occurred", "type": "api_error",
        "request_log_url": failed.value.json_body["error"]["request_log_url"]}


def test_an_injected_card_decline_is_a_402_card_error(server, client):
    holder = client.v1.issuing.cardholders.create({"name": "Amina Diallo", "billing": {"address": {
        "line1": "Rue 10", "city": "Dakar", "postal_code": "10200", "country": "SN"}}})
    server.arm_fault(kind="card_error", path="/v1/issuing/cards", decline_code="insufficient_funds")

    with pytest.raises(stripe.CardError) as declined:
        client.v1.issuing.cards.create({"cardholder": holder.id, "currency": "eur", "type": "virtual"})

    error = declined.value.json_body["error"]
    assert declined.value.http_status == 402
    assert (error["type"], error["code"], error["decline_code"]) == ("card_error", "card_declined",
                                                                     "insufficient_funds")
    assert server.counts().get("issuing.card", 0) == 0


def test_an_unknown_stripe_account_header_is_refused_with_account_invalid(client):
    with pytest.raises(stripe.PermissionError) as refused:
        client.v1.balance.retrieve(options={"stripe_account": "acct_unknown"})

    assert refused.value.json_body["error"]["code"] == "account_invalid"


def test_a_malformed_stripe_version_is_refused(server):
    status, _, body = raw(server, "GET", "/v1/balance", headers={**BEARER, "Stripe-Version": "yesterday"})

    assert status == 400
    assert body["error"]["message"] == "Invalid Stripe API version: yesterday"


def test_the_stripe_version_sent_is_echoed(server):
    _, headers, _ = raw(server, "GET", "/v1/balance", headers={**BEARER, "Stripe-Version": "2024-06-20"})

    assert headers["Stripe-Version"] == "2024-06-20"


def test_curl_style_array_brackets_are_understood_like_the_sdks_indexes(server, client):
    holder = client.v1.issuing.cardholders.create({"name": "Amina Diallo", "billing": {"address": {
        "line1": "Rue 10", "city": "Dakar", "postal_code": "10200", "country": "SN"}}})
    card = client.v1.issuing.cards.create({"cardholder": holder.id, "currency": "eur", "type": "virtual"})

    status, _, body = raw(server, "GET", f"/v1/issuing/cards/{card.id}?expand[]=cardholder", headers=BEARER)

    assert status == 200
    assert body["cardholder"]["name"] == "Amina Diallo"


def test_basic_auth_with_the_key_as_user_name_is_accepted_like_curl_u(server):
    credentials = "Basic c2tfdGVzdF9yZWludGVncmE6"  # base64("sk_test_reintegra:")

    status, _, body = raw(server, "GET", "/v1/balance", headers={"Authorization": credentials})

    assert (status, body["object"]) == (200, "balance")
