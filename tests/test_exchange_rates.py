"""Exchange rates end to end: finance imports the ECB's reference rates file and enters the
rates the ECB does not publish; a batch released with a payout in Gambian dalasi fixes the
rate on it and the partner is paid in GMD; without a usable rate the release is refused.

Rates are global, so the refusal runs first: no GMD rate exists until a later test enters one.
"""
import datetime
import uuid

import pytest

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
DAILY = ("Date, USD, JPY, GBP, CHF, \n"
         f"{TODAY.strftime('%d %B %Y')}, 1.0523, 162.34, 0.8312, 0.9391, \n")


@pytest.fixture
def programme(journey):
    return journey.programme(f"FX-{uuid.uuid4().hex[:6]}", "Rates programme")["id"]


@pytest.fixture
def gambian_case_due(journey, programme):
    """A case returning to The Gambia, paid by mobile money, its first EUR 750 instalment due."""
    case_id = journey.register(programme, "Lamin", "Ceesay", country="GM", born="1994-06-12",
                               sex="male", language="en")
    journey.set_method(case_id, "mobile_money", {"phone": "+2207001234", "operator": "afrimoney"})
    journey.make_due(programme, case_id)
    return case_id


def test_a_release_with_no_rate_for_the_payout_currency_is_refused_and_changes_nothing(
        api, programme, gambian_case_due):
    officer_a, officer_b = api.login("finance_officer"), api.login("finance-officer-2")
    status, batch = api.call("POST", "/api/v1/payout-batches", {"programme_id": programme},
                             token=officer_a)
    assert status == 201, batch

    status, refused = api.call("POST", f"/api/v1/payout-batches/{batch['id']}/release", token=officer_b)

    assert status == 422, refused
    assert refused["error"]["fields"] == {"currency": ["GMD"]}
    assert "GMD" in refused["error"]["message"] and TODAY.isoformat() in refused["error"]["message"]
    status, view = api.call("GET", f"/api/v1/payout-batches/{batch['id']}", token=officer_a)
    assert (view["status"], view["released_by"]) == ("prepared", None)
    assert [(p["status"], p["exchange_rate"]) for p in view["payouts"]] == [("prepared", None)]


def test_the_ecb_file_is_imported_per_day_once_however_often_it_is_sent(api):
    finance = api.login("finance_officer")
    csv_headers = {"Content-Type": "text/csv"}

    status, first = api.call("POST", "/api/v1/exchange-rates/ecb", raw=DAILY.encode(),
                             headers=csv_headers, token=finance)
    assert status == 200, first
    assert first["days"] == [{"date": TODAY.isoformat(), "imported": 4, "updated": 0, "unchanged": 0}]
    status, again = api.call("POST", "/api/v1/exchange-rates/ecb", {"csv": DAILY}, token=finance)
    assert status == 200 and (again["imported"], again["unchanged"]) == (0, 4)

    yesterday, before = TODAY - datetime.timedelta(days=1), TODAY - datetime.timedelta(days=2)
    history = ("Date,USD,JPY,CYP,\n" + f"{yesterday.isoformat()},1.0501,161.9,N/A,\n"
               f"{before.isoformat()},1.0488,161.2,N/A,\n")
    status, imported = api.call("POST", "/api/v1/exchange-rates/ecb", {"csv": history}, token=finance)
    assert status == 200 and [(d["date"], d["imported"]) for d in imported["days"]] == [
        (before.isoformat(), 2), (yesterday.isoformat(), 2)]

    status, listed = api.call("GET", "/api/v1/exchange-rates?currency=USD", token=api.login("admin"))
    assert status == 200
    assert [(r["date"], r["rate"], r["source"]) for r in listed["rates"]][:3] == [
        (TODAY.isoformat(), "1.0523", "ECB"), (yesterday.isoformat(), "1.0501", "ECB"),
        (before.isoformat(), "1.0488", "ECB")]


def test_only_finance_imports_or_enters_rates(api):
    status, _ = api.call("POST", "/api/v1/exchange-rates/ecb", {"csv": DAILY}, token=api.login("admin"))
    assert status == 403
    status, _ = api.call("GET", "/api/v1/exchange-rates", token=api.login("caseworker"))
    assert status == 403


def test_a_manual_rate_as_a_number_or_not_positive_is_400_naming_the_rate(api):
    finance = api.login("finance_officer")
    for rate in (71.25, "0", "-71.25"):
        status, refused = api.call("POST", "/api/v1/exchange-rates", {
            "currency": "GMD", "rate": rate, "date": TODAY.isoformat()}, token=finance)
        assert status == 400 and list(refused["error"]["fields"]) == ["rate"], refused


def test_a_gambian_mobile_money_payout_carries_the_rate_fixed_at_release_and_is_paid_in_gmd(
        api, programme, gambian_case_due, partner, journey):
    finance = api.login("finance_officer")
    status, entered = api.call("POST", "/api/v1/exchange-rates", {
        "currency": "GMD", "rate": "71.25", "date": TODAY.isoformat(),
        "note": "Central Bank of The Gambia mid rate"}, token=finance)
    assert status == 201 and (entered["source"], entered["rate"]) == ("manual", "71.25"), entered

    batch = journey.release_batch(programme)
    [payout] = journey.completed_batch(batch["id"])["payouts"]
    # EUR 750.00 at 71.25 GMD per euro is GMD 53,437.50
    assert payout["amount"] == journey.eur(75_000)
    assert payout["payout_amount"] == {"amount": 5_343_750, "currency": "GMD"}
    assert payout["exchange_rate"] == {"rate": "71.25", "date": TODAY.isoformat(), "source": "manual"}
    [transfer] = [t for t in partner.control.transfers()["transfers"] if t["externalId"] == payout["id"]]
    assert (transfer["amount"], transfer["currency"], transfer["status"]) == ("5343750", "GMD", "SUCCESSFUL")
    instalment = journey.instalment(gambian_case_due)
    assert instalment["status"] == "paid" and instalment["paid"] == journey.eur(75_000)
    assert instalment["payouts"][0]["exchange_rate"]["rate"] == "71.25"
