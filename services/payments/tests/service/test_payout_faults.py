"""Exactly once under redelivery and a misbehaving partner (real broker, real partner process)."""
import json

import pika
import sqlalchemy as sa

from reintegra.contracts import new_envelope


def _released_batch(call, due_instalment, funded_programme, cases: int = 1) -> dict:
    for n in range(cases):
        due_instalment(phone=f"+22070000{n:02d}")
    batch = call("prepare_payout_batch", {"programme_id": funded_programme}, as_user="officer-a")
    call("release_payout_batch", batch["id"], as_user="officer-b")
    return batch


def _completed(call, batch_id: str):
    view = call("get_payout_batch", batch_id)
    return view if view["status"] == "completed" else None


def _postings_of(database_url: str, operation_prefix: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM ledger_operations WHERE operation = 'post'"
                                     " AND operation_id LIKE :prefix"),
                             {"prefix": f"{operation_prefix}%"}).scalar_one()
    engine.dispose()
    return count


def test_the_same_payout_command_delivered_1000_times_moves_money_once_and_posts_once(
        call, due_instalment, funded_programme, fresh_partner, rabbit_config, payments_config,
        eventually):
    batch = _released_batch(call, due_instalment, funded_programme)
    payout_id = batch["payouts"][0]["id"]
    command = new_envelope("payments", "payout_chunk_released",
                           {"batch_id": batch["id"], "payout_ids": [payout_id]}).to_dict()
    connection = pika.BlockingConnection(pika.URLParameters(rabbit_config["AMQP_URI"]))
    channel = connection.channel()
    channel.confirm_delivery()
    for _ in range(1000):
        channel.basic_publish("payments.events", "payout_chunk_released", json.dumps(command).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=command["event_id"]))
    connection.close()

    done = eventually(lambda: _completed(call, batch["id"]), timeout=60)
    assert done["progress"]["paid"] == 1
    assert fresh_partner.control.transfers()["countsByExternalId"] == {payout_id: 1}
    assert _postings_of(payments_config["DATABASE_URL"], f"payout:{payout_id}") == 1
    assert call("get_budget", funded_programme)["paid"]["amount"] == 75_000


def test_partner_errors_timeouts_and_outages_are_retried_with_backoff_and_never_duplicated(
        call, due_instalment, funded_programme, fresh_partner, payments_config, eventually):
    control = fresh_partner.control
    control.answer_500_after_next_submissions(2)
    control.drop_connection_after_next_submissions(2)
    control.go_down(duration_ms=1500)
    batch = _released_batch(call, due_instalment, funded_programme, cases=3)

    done = eventually(lambda: _completed(call, batch["id"]), timeout=60)
    assert done["progress"]["paid"] == 3
    counts = control.transfers()["countsByExternalId"]
    assert sorted(counts.values()) == [1, 1, 1]
    assert {p["id"] for p in done["payouts"]} == set(counts)
    assert max(p["attempts"] for p in done["payouts"]) > 1
    assert all(_postings_of(payments_config["DATABASE_URL"], f"payout:{p['id']}") == 1
               for p in done["payouts"])


def test_a_payout_the_partner_fails_leaves_its_money_reserved_and_its_instalment_due_again(
        call, due_instalment, funded_programme, fresh_partner, eventually):
    fresh_partner.control.fail_next_transfers(1, "PAYEE_NOT_FOUND")
    batch = _released_batch(call, due_instalment, funded_programme)

    done = eventually(lambda: _completed(call, batch["id"]), timeout=30)
    assert done["progress"]["failed"] == 1
    assert done["payouts"][0]["failure_reason"] == "account_invalid"
    instalment = call("case_instalments", done["payouts"][0]["case_id"])["instalments"][0]
    assert instalment["status"] == "due"
    budget = call("get_budget", funded_programme)
    assert budget["paid"]["amount"] == 0 and budget["reserved"]["amount"] == 150_000
