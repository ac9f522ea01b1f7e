import os
import time
import uuid

import pytest

from reintegra.contracts import ContractViolation, new_envelope, validate_incoming, validate_outgoing
from reintegra.contracts.envelope import time_ordered_id

CASE = {"case_id": "c-1", "programme_id": "p-1", "status": "registered", "return_country": "GN",
        "vulnerability_level": "none", "intends_to_apply": True, "registered_at": "2026-11-01T10:00:00+00:00"}


def envelope(data):
    return new_envelope("intake", "case_registered", data).to_dict()


def test_a_valid_event_passes_both_ways():
    body = envelope(CASE)
    validate_outgoing(body)
    validate_incoming(body, "intake", "case_registered")


def test_a_publisher_cannot_send_a_field_the_contract_does_not_name():
    # This is what stops a name or a sensitive fact from leaking into a message.
    with pytest.raises(ContractViolation) as raised:
        validate_outgoing(envelope({**CASE, "family_names": "Diallo"}))
    assert "family_names" in raised.value.errors


def test_a_consumer_accepts_fields_added_by_a_later_version():
    body = envelope({**CASE, "added_later": 1})
    body["v"] = 2
    validate_incoming(body, "intake", "case_registered")


def test_a_missing_or_malformed_field_names_the_field():
    with pytest.raises(ContractViolation) as raised:
        validate_incoming(envelope({**CASE, "return_country": "Guinea"}), "intake", "case_registered")
    assert "return_country" in raised.value.errors


def test_an_event_arriving_on_the_wrong_binding_is_refused():
    with pytest.raises(ContractViolation):
        validate_incoming(envelope(CASE), "intake", "case_arrived")


def test_an_event_without_a_contract_cannot_be_published():
    body = new_envelope("intake", "case_teleported", {}).to_dict()
    with pytest.raises(ContractViolation):
        validate_outgoing(body)


def test_an_envelope_carries_only_the_actors_id_and_role():
    body = new_envelope("intake", "case_registered", {}, actor={
        "id": "u-1", "role": "caseworker", "name": "Awa Diallo"}).to_dict()
    assert body["actor"] == {"id": "u-1", "role": "caseworker"}


def test_event_ids_are_version_7_uuids_that_grow_with_time():
    first = time_ordered_id()
    time.sleep(0.002)
    later = [time_ordered_id() for _ in range(1000)]
    parsed = uuid.UUID(first)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert str(parsed) == first  # canonical lower-case text, as the envelope's regex wants
    assert all(first < other for other in later)
    assert len(set(later)) == len(later)
    milliseconds = int(first.replace("-", "")[:12], 16)
    assert abs(milliseconds - time.time() * 1000) < 5_000


def test_event_ids_stay_unique_across_many_fetches_of_random_bytes():
    ids = [time_ordered_id() for _ in range(10_000)]  # the random bytes are fetched 256 at a time
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 for i in ids)


def test_a_forked_process_never_repeats_the_ids_its_parent_makes():
    time_ordered_id()  # the parent now holds random bytes a child could inherit
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(write_end, "\n".join(time_ordered_id() for _ in range(100)).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        childs = {random_part(i) for i in pipe.read().split("\n")}
    parents = {random_part(time_ordered_id()) for _ in range(100)}
    assert len(childs) == 100 and not childs & parents


def random_part(event_id: str) -> str:
    return event_id[15:]  # after the milliseconds and the version digit
