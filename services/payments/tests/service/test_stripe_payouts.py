"""Stripe payouts inside the payments service: webhooks applied once by event id through the
runner's record step, forged or stale deliveries refused with no effect, and a recipient
whose bank account is in another name held for a supervisor's review (real broker, real
database, the Stripe fake over HTTP)."""
import base64
import json
import random
import time
import uuid

import pytest
import sqlalchemy as sa
from nameko.testing.services import entrypoint_hook

from reintegra.contracts.errors import Conflict, Forbidden, InvalidInput

from payments.adapters.routes.stripe_bank import StripeBankRoute
from payments.adapters.routes.stripe_gateway import StripeGateway
from payments.service_layer.payout_route import Payee
from stripe_server.signing import sign

SECRET = "whsec_reintegra_tests"  # the root conftest's stripe_server signs with it
IBAN = "DE89370400440532013000"
BANK_DETAILS = {"iban": IBAN, "account_holder_name": "Amina Diallo", "date_of_birth": "1991-07-04"}


@pytest.fixture
def payments_config(service_config, migrated, fresh_partner, fresh_stripe):
    """Bank payouts by Stripe; the runner never polls (an hour apart), so what a payout learns
    after its submission it learns from the webhooks these tests deliver."""
    migrated("payments", service_config["DATABASE_URL"])
    stripe = {"api_base": fresh_stripe.url, "api_key": "sk_test_reintegra", "webhook_secret": SECRET,
              "timeout": 5, "max_network_retries": 0}
    return {**service_config, "PAYOUT_ROUTES": {
        "bank_account": {"adapter": "stripe_bank", **stripe},
        "prepaid_card": {"adapter": "stripe_card", **stripe, "billing_address": {
            "line1": "Rua da Palma 1", "city": "Lisboa", "postal_code": "1100-001", "country": "PT"}}},
        "PAYOUTS": {"lease_seconds": 1, "poll_interval_seconds": 3600,
                    "first_backoff_seconds": 0.1, "max_backoff_seconds": 1}}


@pytest.fixture
def call_as(service):
    """Call an RPC entrypoint as the gateway would for staff member `user` in `role`."""
    def invoke(name, *args, user, role):
        with entrypoint_hook(service, name, context_data={"actor_id": user, "actor_role": role}) as entrypoint:
            return entrypoint(*args)
    return invoke


@pytest.fixture
def bank_batch(call, due_instalment, funded_programme):
    """A released batch paying one due instalment to `details` by bank: (case id, payout id)."""
    def make(details=BANK_DETAILS, before_release=lambda case_id: None):
        case_id, _ = due_instalment()
        call("set_payout_method", case_id, {"route": "bank_account", "details": details},
             as_user="caseworker-1")
        before_release(case_id)
        batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
        call("release_payout_batch", batch["id"], as_user="officer-b")
        return case_id, batch["payouts"][0]["id"], batch["id"]
    return make


def payout_view(call, batch_id):
    return call("get_payout_batch", batch_id)["payouts"][0]


def deliver(call, body: bytes, header):
    return call("receive_stripe_webhook", base64.b64encode(body).decode(), header)


def deliveries_about(receiver, eventually, payout_id, types):
    """Every signed delivery so far about `payout_id`, once each of `types` has arrived."""
    seen = []

    def arrived():
        seen.extend(receiver.drain())
        return set(types) <= {json.loads(body)["type"] for _, body in seen if _about(body, payout_id)}
    eventually(arrived, timeout=10)
    return [(header, body) for header, body in seen if _about(body, payout_id)]


def _about(body, payout_id):
    return (json.loads(body)["data"]["object"].get("metadata") or {}).get("payout_id") == payout_id


def recorded_events(database_url):
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT event_id, outcome FROM provider_events")).all()
    engine.dispose()
    return dict(rows)


def postings(database_url, payout_id):
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM ledger_operations WHERE operation_id = :op"),
                             {"op": f"payout:{payout_id}:post"}).scalar_one()
    engine.dispose()
    return count


def submitted_to_stripe(call, bank_batch, fresh_stripe, eventually):
    case_id, payout_id, batch_id = bank_batch()
    eventually(lambda: payout_view(call, batch_id)["status"] == "submitted", timeout=20)
    stripe_payout = next(p for p in fresh_stripe.objects("payout") if p["metadata"]["payout_id"] == payout_id)
    return case_id, payout_id, batch_id, stripe_payout


# Webhooks ----------------------------------------------------------------------------------

def test_every_webhook_delivered_three_times_in_shuffled_order_pays_once_and_posts_once(
        call, bank_batch, fresh_stripe, webhook_receiver, payments_config, funded_programme, eventually):
    case_id, payout_id, batch_id, stripe_payout = submitted_to_stripe(call, bank_batch, fresh_stripe, eventually)
    fresh_stripe.ok("POST", f"/_control/payouts/{stripe_payout['id']}/settle")
    deliveries = deliveries_about(webhook_receiver, eventually, payout_id,
                                  {"transfer.created", "payout.created", "payout.paid"}) * 3
    random.Random(6).shuffle(deliveries)

    answers = [deliver(call, body, header) for header, body in deliveries]

    assert payout_view(call, batch_id)["status"] == "paid"
    assert postings(payments_config["DATABASE_URL"], payout_id) == 1
    assert call("get_budget", funded_programme)["paid"]["amount"] == 75_000
    instalment = call("case_instalments", case_id)["instalments"][0]
    assert instalment["status"] == "paid"
    first_answers = [a for a in answers if not a["duplicate"]]
    assert len(first_answers) == len(deliveries) // 3
    assert [a["outcome"] for a in first_answers if a["type"] == "payout.paid"] == ["applied"]
    assert set(recorded_events(payments_config["DATABASE_URL"])) == {a["event_id"] for a in answers}


@pytest.mark.parametrize("tamper", ["changed_byte", "wrong_secret", "old_timestamp", "missing_header"])
def test_a_forged_stale_or_unsigned_delivery_is_rejected_and_changes_nothing(
        call, bank_batch, fresh_stripe, webhook_receiver, payments_config, eventually, tamper):
    _, payout_id, batch_id, stripe_payout = submitted_to_stripe(call, bank_batch, fresh_stripe, eventually)
    fresh_stripe.ok("POST", f"/_control/payouts/{stripe_payout['id']}/settle")
    header, body = next((h, b) for h, b in deliveries_about(webhook_receiver, eventually, payout_id, {"payout.paid"})
                        if json.loads(b)["type"] == "payout.paid")
    forged = {
        "changed_byte": (header, body.replace(b'"paid"', b'"pai"', 1)),
        "wrong_secret": (sign(body, "whsec_someone_else"), body),
        "old_timestamp": (sign(body, SECRET, time.time() - 301), body),
        "missing_header": (None, body),
    }[tamper]

    with pytest.raises(InvalidInput) as rejected:
        deliver(call, forged[1], forged[0])

    assert "Stripe webhook rejected" in str(rejected.value)
    assert payout_view(call, batch_id)["status"] == "submitted"
    assert postings(payments_config["DATABASE_URL"], payout_id) == 0
    assert json.loads(body)["id"] not in recorded_events(payments_config["DATABASE_URL"])


def test_an_event_about_an_object_we_do_not_know_is_recorded_and_changes_nothing(
        call, service, payments_config):
    about_nobody = {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": "payout.paid",
                    "created": int(time.time()), "account": "acct_unknown",
                    "data": {"object": {"id": "po_unknown", "object": "payout", "status": "paid",
                                        "metadata": {"payout_id": str(uuid.uuid4()), "transfer": "tr_x"}}}}
    card_event = {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": "issuing_card.updated",
                  "created": int(time.time()),
                  "data": {"object": {"id": "ic_1", "object": "issuing.card", "status": "canceled",
                                      "cancellation_reason": "lost", "metadata": {"payee_id": "case-1"}}}}

    answers = [deliver(call, body, sign(body, SECRET))
               for body in (json.dumps(about_nobody).encode(), json.dumps(card_event).encode())]

    assert [a["outcome"] for a in answers] == ["unknown_payout", "recorded"]
    assert recorded_events(payments_config["DATABASE_URL"]) == {
        about_nobody["id"]: "unknown_payout", card_event["id"]: "recorded"}


# Payee confirmation -----------------------------------------------------------------------

def recipient_named(fresh_stripe, name):
    """Before the payout: the payee's Stripe recipient already holds this IBAN in `name`."""
    def set_up(case_id):
        route = StripeBankRoute(StripeGateway("sk_test_reintegra", fresh_stripe.url, max_network_retries=0))
        assert route.account_holder_name(Payee(case_id, name, {**BANK_DETAILS, "account_holder_name": name})) == name
    return set_up


def held(call_as, payout_id):
    holds = call_as("list_payout_holds", user="officer-a", role="finance_officer")["holds"]
    return next((hold for hold in holds if hold["payout_id"] == payout_id), None)


def transfers_for(fresh_stripe, payout_id):
    return [t for t in fresh_stripe.objects("transfer") if t["metadata"].get("payout_id") == payout_id]


def test_a_recipient_account_in_another_name_holds_the_payout_and_nothing_is_sent(
        call, call_as, bank_batch, fresh_stripe, eventually):
    _, payout_id, batch_id = bank_batch(before_release=recipient_named(fresh_stripe, "Fatou Ndiaye"))

    hold = eventually(lambda: held(call_as, payout_id), timeout=20)

    assert hold["provider_name"] == "Fatou Ndiaye" and hold["payee_name"] == "Amina Diallo"
    assert hold["payout_status"] == "held" and hold["amount"] == {"amount": 75_000, "currency": "EUR"}
    time.sleep(1.5)  # a lease and more: the sweeper must leave a held payout alone
    assert payout_view(call, batch_id)["status"] == "held"
    assert transfers_for(fresh_stripe, payout_id) == []


def test_the_same_name_in_another_order_and_without_accents_is_paid(call, bank_batch, fresh_stripe, eventually):
    _, payout_id, batch_id = bank_batch(before_release=recipient_named(fresh_stripe, "DIALLO Amína"))

    eventually(lambda: payout_view(call, batch_id)["status"] == "submitted", timeout=20)
    assert len(transfers_for(fresh_stripe, payout_id)) == 1


def test_a_supervisor_other_than_the_preparer_releases_a_hold_and_the_payout_is_sent_once(
        call, call_as, bank_batch, fresh_stripe, eventually):
    _, payout_id, batch_id = bank_batch(before_release=recipient_named(fresh_stripe, "Fatou Ndiaye"))
    hold = eventually(lambda: held(call_as, payout_id), timeout=20)
    reason = {"reason": "the payee showed the bank's letter: married name"}

    with pytest.raises(Forbidden):
        call_as("release_payout_hold", hold["id"], reason, user="officer-b", role="finance_officer")
    with pytest.raises(Forbidden):
        call_as("release_payout_hold", hold["id"], reason, user="officer-a", role="supervisor")
    released = call_as("release_payout_hold", hold["id"], reason, user="supervisor-1", role="supervisor")

    assert released["resolution"] == "released" and released["decided_by"] == "supervisor-1"
    eventually(lambda: payout_view(call, batch_id)["status"] == "submitted", timeout=20)
    assert len(transfers_for(fresh_stripe, payout_id)) == 1
    assert held(call_as, payout_id) is None
    with pytest.raises(Conflict):
        call_as("reject_payout_hold", hold["id"], reason, user="supervisor-1", role="supervisor")


def test_a_rejected_hold_fails_the_payout_and_the_instalment_is_due_again(
        call, call_as, bank_batch, fresh_stripe, funded_programme, eventually):
    case_id, payout_id, batch_id = bank_batch(before_release=recipient_named(fresh_stripe, "Fatou Ndiaye"))
    hold = eventually(lambda: held(call_as, payout_id), timeout=20)

    with pytest.raises(InvalidInput):
        call_as("reject_payout_hold", hold["id"], {}, user="supervisor-1", role="supervisor")
    rejected = call_as("reject_payout_hold", hold["id"], {"reason": "not the beneficiary's account"},
                       user="supervisor-1", role="supervisor")

    assert rejected["payout_status"] == "failed" and rejected["failure_reason"] == "account_holder_mismatch"
    assert call("case_instalments", case_id)["instalments"][0]["status"] == "due"
    assert call("get_budget", funded_programme)["paid"]["amount"] == 0
    assert transfers_for(fresh_stripe, payout_id) == []


def test_a_held_payout_keeps_its_money_reserved_when_everything_else_of_the_plan_is_released(
        call, call_as, due_instalment, funded_programme, fresh_stripe, eventually):
    case_id, plan_id = due_instalment()
    call("set_payout_method", case_id, {"route": "bank_account", "details": BANK_DETAILS},
         as_user="caseworker-1")
    recipient_named(fresh_stripe, "Fatou Ndiaye")(case_id)
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    eventually(lambda: held(call_as, batch["payouts"][0]["id"]), timeout=20)

    # The plan is cancelled: plans releases what no payout is on its way with.
    answer = call("release_budget", f"plan:{plan_id}:cancel", funded_programme,
                  f"plan:{plan_id}", None)

    assert answer["released"] == {"amount": 75_000, "currency": "EUR"}  # instalment 2
    assert answer["still_reserved"] == {"amount": 75_000, "currency": "EUR"}  # the held payout
