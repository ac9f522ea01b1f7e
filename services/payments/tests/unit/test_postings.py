import uuid

import pytest
from hypothesis import assume, given, strategies as st
from reintegra.money import Money

from payments.domain.postings import (Account, AccountKind, Posting, posting_id_for,
                                      split_by_weights, transaction_id_for)


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def test_a_75_25_split_of_an_odd_amount_is_exact_to_the_cent():
    assert split_by_weights(eur(200_001), [75, 25]) == [eur(150_001), eur(50_000)]


def test_leftover_cents_go_to_the_largest_fractions_and_earlier_parts_win_ties():
    assert split_by_weights(eur(2), [1, 1, 1]) == [eur(1), eur(1), eur(0)]
    assert split_by_weights(eur(10), [1, 2]) == [eur(3), eur(7)]


@given(amount=st.integers(0, 10**9),
       weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=5))
def test_parts_always_sum_to_the_amount_and_never_exceed_their_weight(amount, weights):
    assume(sum(weights) > 0)
    parts = split_by_weights(eur(amount), weights)
    assert sum(p.amount for p in parts) == amount
    assert all(p.amount >= 0 for p in parts)
    if amount <= sum(weights):
        assert all(p.amount <= w for p, w in zip(parts, weights))


def test_refuses_to_split_by_weights_that_sum_to_nothing():
    with pytest.raises(ValueError):
        split_by_weights(eur(1), [0, 0])


def test_ids_are_derived_from_the_operation_id_so_a_replay_collides_with_the_stored_rows():
    assert transaction_id_for("reserve-plan-7") == transaction_id_for("reserve-plan-7")
    assert transaction_id_for("reserve-plan-7") != transaction_id_for("reserve-plan-8")
    assert posting_id_for("reserve-plan-7", 0) != posting_id_for("reserve-plan-7", 1)


@given(st.text(max_size=80))
def test_ids_are_the_rfc_4122_name_based_uuids_stored_before(operation_id):
    # Ids already in the journal were made by uuid.uuid5: a replay must still collide with them.
    from payments.domain.postings import _LEDGER_NAMESPACE
    assert transaction_id_for(operation_id) == str(uuid.uuid5(_LEDGER_NAMESPACE, operation_id))
    assert posting_id_for(operation_id, 3) == str(uuid.uuid5(_LEDGER_NAMESPACE,
                                                             f"{operation_id}/3"))


def test_a_posting_cannot_be_changed_once_written():
    account = Account("P1", "AMIF", AccountKind.AVAILABLE)
    posting = Posting("p", "t", account, eur(5), "reserve", "r")
    with pytest.raises(AttributeError):
        posting.amount = eur(6)
