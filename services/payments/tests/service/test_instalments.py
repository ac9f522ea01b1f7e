"""The allowance schedule driven by other services' events, in whatever order they come."""
import uuid


def _statuses(call, case_id):
    return [(i["number"], i["status"], i["amount"]["amount"])
            for i in call("case_instalments", case_id)["instalments"]]


def _approve(publish, programme_id, case_id, plan_id, total, version=1):
    publish("plans", "plan_approved", {
        "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id, "version": version,
        "total": {"amount": total, "currency": "EUR"}, "currency": "EUR",
        "reservation_id": f"plan:{plan_id}",
        "lines": [{"category": "business", "amount": {"amount": total, "currency": "EUR"}}]})


def _arrive(publish, programme_id, case_id):
    publish("intake", "case_arrived", {
        "case_id": case_id, "programme_id": programme_id, "from_status": "departed",
        "to_status": "arrived", "at": "2026-11-02T10:00:00+00:00", "arrival_date": "2026-11-02"})


def test_an_approved_plan_is_split_by_the_programme_with_the_odd_cent_on_the_last_instalment(
        call, publish, funded_programme, eventually):
    case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
    _approve(publish, funded_programme, case_id, plan_id, 150_001)
    assert eventually(lambda: _statuses(call, case_id)) == [
        (1, "scheduled", 75_000), (2, "scheduled", 75_001)]


def test_an_arrival_announced_before_the_approval_still_makes_the_first_instalment_due(
        call, publish, funded_programme, payments_config, events_handled, eventually):
    case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
    _arrive(publish, funded_programme, case_id)
    # The programme and the arrival are handled before the approval is even sent.
    eventually(lambda: events_handled(payments_config["DATABASE_URL"]) == 2)
    _approve(publish, funded_programme, case_id, plan_id, 100_000)
    assert eventually(lambda: (lambda s: s if s and s[0][1] == "due" else None)(
        _statuses(call, case_id))) == [(1, "due", 50_000), (2, "scheduled", 50_000)]


def test_a_reapproved_revision_respreads_the_unpaid_instalments(call, publish, funded_programme,
                                                                  eventually):
    case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
    _approve(publish, funded_programme, case_id, plan_id, 100_000)
    eventually(lambda: _statuses(call, case_id))
    _approve(publish, funded_programme, case_id, plan_id, 180_000, version=2)
    assert eventually(lambda: (lambda s: s if s[0][2] == 90_000 else None)(
        _statuses(call, case_id))) == [(1, "scheduled", 90_000), (2, "scheduled", 90_000)]


def test_the_second_instalment_falls_due_once_the_first_is_paid_justified_and_followed_up(
        call, publish, due_instalment, funded_programme, eventually):
    case_id, _ = due_instalment()
    batch = call("prepare_payout_batch", {}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    eventually(lambda: _statuses(call, case_id)[0][1] == "paid")
    first = call("case_instalments", case_id)["instalments"][0]["id"]

    publish("payments", "expenses_justified", {
        "case_id": case_id, "instalment_id": first, "justified": {"amount": 60_000, "currency": "EUR"}})
    publish("monitoring", "monitoring_contact_completed", {
        "case_id": case_id, "contact_id": "contact-1", "completed_on": "2026-12-01", "month": 1})

    assert eventually(lambda: _statuses(call, case_id)[1][1] == "due")


def test_a_withdrawn_case_releases_every_unpaid_instalment_reservation(
        call, publish, due_instalment, funded_programme, eventually):
    case_id, plan_id = due_instalment()
    assert call("get_budget", funded_programme)["reserved"]["amount"] == 150_000

    publish("intake", "case_withdrawn", {
        "case_id": case_id, "programme_id": funded_programme, "from_status": "arrived",
        "to_status": "withdrawn", "at": "2026-11-03T10:00:00+00:00"})

    assert eventually(lambda: call("get_budget", funded_programme)["reserved"]["amount"] == 0)
    assert [s for _, s, _ in _statuses(call, case_id)] == ["cancelled", "cancelled"]
    assert call("get_budget", funded_programme)["available"]["amount"] == 5_000_000
