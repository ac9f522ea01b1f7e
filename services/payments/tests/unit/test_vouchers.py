import datetime
import re

import pytest
from reintegra.money import Money

from payments.domain.vouchers import (ALPHABET, CODE_LENGTH, DEFAULT_EXPIRY_DAYS, CannotReissue, Collection,
                                      IllegalVoucherTransition, InvalidVoucherCode, Voucher, VoucherChain,
                                      VoucherStatus, check_character, display_code, new_code, normalise_code)

ISSUED_AT = datetime.datetime(2024, 5, 1, 9, 0, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
AMOUNT = Money(60_000, "EUR")


def chain_with_voucher(expiry_days: int = DEFAULT_EXPIRY_DAYS) -> VoucherChain:
    chain = VoucherChain("inst-1")
    chain.issue("payout-1", AMOUNT, ISSUED_AT, expiry_days)
    return chain


def expired_and_reissued() -> tuple[VoucherChain, Voucher, Voucher]:
    chain = chain_with_voucher()
    first = chain.current
    first.expire(first.expires_at)
    second = chain.reissue("payout-2", first.expires_at + DAY)
    return chain, first, second


# Codes ---------------------------------------------------------------------------------------

def test_a_code_is_twelve_unambiguous_characters_ending_in_its_check_character():
    code = new_code()
    assert len(code) == CODE_LENGTH == 12
    assert set(code) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)
    assert code[-1] == check_character(code[:-1])
    assert normalise_code(code) == code


def test_codes_are_random_and_do_not_repeat():
    codes = {new_code() for _ in range(5_000)}
    assert len(codes) == 5_000
    # Every symbol turns up in every position: the codes are not a pattern.
    for position in range(CODE_LENGTH - 1):
        assert {code[position] for code in codes} == set(ALPHABET)


def test_a_code_already_taken_is_drawn_again():
    taken = []

    def is_taken(code: str) -> bool:
        taken.append(code)
        return len(taken) <= 2

    code = new_code(is_taken)
    assert code == taken[-1]
    assert len(taken) == 3 and len(set(taken)) == 3


def test_a_code_is_shown_in_groups_of_four_and_read_back_however_typed():
    code = new_code()
    shown = display_code(code)
    assert re.fullmatch(r"[%s]{4}-[%s]{4}-[%s]{4}" % (ALPHABET, ALPHABET, ALPHABET), shown)
    assert normalise_code(f"  {shown.lower()} ") == code
    assert normalise_code(" ".join(code[i:i + 3] for i in range(0, 12, 3))) == code


def test_any_single_mistyped_character_is_caught():
    code = new_code()
    for position in range(CODE_LENGTH):
        for symbol in ALPHABET.replace(code[position], ""):
            typo = code[:position] + symbol + code[position + 1:]
            with pytest.raises(InvalidVoucherCode):
                normalise_code(typo)


def test_two_swapped_characters_are_caught():
    body = "23456789ABC"
    code = body + check_character(body)
    for i in range(len(body)):
        for j in range(i + 1, len(body)):
            swapped = list(code)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            with pytest.raises(InvalidVoucherCode):
                normalise_code("".join(swapped))


@pytest.mark.parametrize("typed, problem", [
    ("ABCD-EFGH-JK", "12 characters, not 10"),
    ("ABCD-EFGH-JK0O", "no 0, O"),
])
def test_a_code_of_the_wrong_length_or_with_look_alikes_is_refused_with_the_reason(typed, problem):
    with pytest.raises(InvalidVoucherCode, match=problem):
        normalise_code(typed)


# Issue and expiry ----------------------------------------------------------------------------

def test_a_voucher_expires_thirty_days_after_issue_by_default():
    voucher = chain_with_voucher().current
    assert voucher.status is VoucherStatus.ISSUED
    assert voucher.expires_at == ISSUED_AT + 30 * DAY
    assert (voucher.payout_id, voucher.amount) == ("payout-1", AMOUNT)


def test_the_expiry_is_the_programmes_setting():
    assert chain_with_voucher(expiry_days=7).current.expires_at == ISSUED_AT + 7 * DAY


@pytest.mark.parametrize("days", [0, -3])
def test_a_voucher_is_valid_for_at_least_a_day(days):
    with pytest.raises(ValueError):
        Voucher.issue("payout-1", AMOUNT, ISSUED_AT, days)


def test_voucher_times_must_say_their_timezone():
    with pytest.raises(ValueError):
        Voucher.issue("payout-1", AMOUNT, datetime.datetime(2024, 5, 1, 9, 0))


def test_a_voucher_is_collectable_until_the_last_second_before_expiry_and_not_at_it():
    voucher = chain_with_voucher().current
    assert voucher.collectable_at(voucher.expires_at - SECOND)
    assert not voucher.collectable_at(voucher.expires_at)


def test_a_voucher_cannot_be_expired_a_second_before_its_expiry():
    voucher = chain_with_voucher().current
    with pytest.raises(IllegalVoucherTransition):
        voucher.expire(voucher.expires_at - SECOND)
    assert voucher.status is VoucherStatus.ISSUED
    voucher.expire(voucher.expires_at)
    assert voucher.status is VoucherStatus.EXPIRED


def test_a_collected_voucher_neither_expires_nor_is_cancelled():
    chain = chain_with_voucher()
    chain.report_collected(chain.current.code, ISSUED_AT + DAY)
    with pytest.raises(IllegalVoucherTransition):
        chain.current.expire(chain.current.expires_at + DAY)
    with pytest.raises(IllegalVoucherTransition):
        chain.current.cancel()
    assert chain.current.status is VoucherStatus.COLLECTED


def test_an_issued_voucher_can_be_cancelled_once():
    voucher = chain_with_voucher().current
    voucher.cancel()
    assert voucher.status is VoucherStatus.CANCELLED
    with pytest.raises(IllegalVoucherTransition):
        voucher.cancel()


def test_a_given_code_with_a_wrong_check_character_is_not_issued():
    code = new_code()
    wrong = code[:-1] + ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]
    with pytest.raises(InvalidVoucherCode):
        Voucher.issue("payout-1", AMOUNT, ISSUED_AT, code=wrong)


# Collection --------------------------------------------------------------------------------

def test_a_collected_voucher_pays_its_payout_once_and_a_repeated_report_changes_nothing():
    chain = chain_with_voucher()
    code = chain.current.code
    first = chain.report_collected(display_code(code).lower(), ISSUED_AT + DAY)
    again = chain.report_collected(code, ISSUED_AT + 2 * DAY)
    assert first.collection is Collection.PAY and first.conflict is None
    assert first.voucher.payout_id == "payout-1"
    assert again.collection is Collection.ALREADY_COLLECTED
    assert chain.current.collected_at == ISSUED_AT + DAY
    assert chain.conflicts == []


def test_a_collection_after_expiry_but_before_we_expired_anything_is_paid_once():
    chain = chain_with_voucher()
    outcome = chain.report_collected(chain.current.code, chain.current.expires_at + SECOND)
    assert outcome.collection is Collection.PAY
    with pytest.raises(CannotReissue):
        chain.reissue("payout-2", chain.current.expires_at + DAY)


def test_a_report_for_an_unknown_code_is_refused():
    chain = chain_with_voucher()
    with pytest.raises(KeyError):
        chain.report_collected(new_code(), ISSUED_AT + DAY)


# Re-issue: never both paid ---------------------------------------------------------------

def test_an_expired_voucher_is_reissued_as_a_new_voucher_with_a_new_code_and_payout():
    chain, first, second = expired_and_reissued()
    assert second.code != first.code
    assert second.payout_id == "payout-2"
    assert second.amount == first.amount
    assert second.status is VoucherStatus.ISSUED
    assert second.issued_at == first.expires_at + DAY
    assert second.expires_at == second.issued_at + 30 * DAY
    assert first.replaced_by == second.code
    assert chain.current is second


def test_a_cancelled_voucher_may_be_reissued_too():
    chain = chain_with_voucher()
    chain.current.cancel()
    assert chain.reissue("payout-2", ISSUED_AT + DAY).status is VoucherStatus.ISSUED


def test_a_voucher_still_collectable_is_not_reissued():
    chain = chain_with_voucher()
    with pytest.raises(CannotReissue, match="issued"):
        chain.reissue("payout-2", ISSUED_AT + DAY)
    assert len(chain.vouchers) == 1


def test_a_voucher_is_reissued_only_once():
    chain, first, second = expired_and_reissued()
    with pytest.raises(CannotReissue):
        chain.reissue("payout-3", second.issued_at)
    assert first.replaced_by == second.code and len(chain.vouchers) == 2


def test_a_reissued_voucher_belongs_to_a_new_payout():
    chain = chain_with_voucher()
    chain.current.expire(chain.current.expires_at)
    with pytest.raises(CannotReissue, match="new payout"):
        chain.reissue("payout-1", chain.current.expires_at)


def test_a_reissued_voucher_never_reuses_an_earlier_code():
    chain = chain_with_voucher()
    first = chain.current
    first.expire(first.expires_at)
    with pytest.raises(CannotReissue, match="new code"):
        chain.reissue("payout-2", first.expires_at, code=first.code)


def test_nothing_is_reissued_before_a_first_voucher_and_a_first_voucher_is_issued_once():
    with pytest.raises(CannotReissue):
        VoucherChain("inst-1").reissue("payout-1", ISSUED_AT)
    chain = chain_with_voucher()
    with pytest.raises(CannotReissue):
        chain.issue("payout-2", AMOUNT, ISSUED_AT)


def test_a_late_collected_report_for_a_reissued_voucher_is_a_conflict_not_a_second_payment():
    chain, first, second = expired_and_reissued()
    outcome = chain.report_collected(first.code, first.expires_at - SECOND)

    assert outcome.collection is Collection.CONFLICT
    assert first.status is VoucherStatus.EXPIRED
    conflict = outcome.conflict
    assert (conflict.code, conflict.payout_id, conflict.replacement_code) == (first.code, "payout-1", second.code)
    assert conflict.cancel_replacement == second.code
    assert "re-issued" in conflict.reason
    assert chain.conflicts == [conflict]


def test_after_the_conflict_the_replacement_is_cancelled_and_a_repeated_late_report_is_flagged_once():
    chain, first, second = expired_and_reissued()
    conflict = chain.report_collected(first.code, first.expires_at - SECOND).conflict
    chain.get(conflict.cancel_replacement).cancel()

    assert not second.collectable_at(second.issued_at + DAY)
    again = chain.report_collected(first.code, first.expires_at - SECOND)
    assert again.collection is Collection.ALREADY_COLLECTED
    assert again.conflict is conflict
    assert chain.conflicts == [conflict]
    assert second.status is VoucherStatus.CANCELLED


def test_a_late_report_once_the_replacement_was_collected_asks_no_cancellation_but_is_a_conflict():
    chain, first, second = expired_and_reissued()
    assert chain.report_collected(second.code, second.issued_at + DAY).collection is Collection.PAY
    outcome = chain.report_collected(first.code, first.expires_at - SECOND)
    assert outcome.collection is Collection.CONFLICT
    assert outcome.conflict.cancel_replacement is None
    assert "the replacement is collected" in outcome.conflict.reason


def test_a_replacement_collected_after_a_conflict_is_paid_and_flagged_as_paid_twice():
    chain, first, second = expired_and_reissued()
    chain.report_collected(first.code, first.expires_at - SECOND)
    outcome = chain.report_collected(second.code, second.issued_at + DAY)
    assert outcome.collection is Collection.PAY
    assert outcome.conflict.payout_id == "payout-2"
    assert display_code(first.code) in outcome.conflict.reason
    assert len(chain.conflicts) == 2


def test_a_late_report_for_an_expired_voucher_not_yet_reissued_is_a_conflict_too():
    chain = chain_with_voucher()
    chain.current.expire(chain.current.expires_at)
    outcome = chain.report_collected(chain.current.code, chain.current.expires_at - SECOND)
    assert outcome.collection is Collection.CONFLICT
    assert outcome.conflict.replacement_code is None
    assert "returned to the reservation" in outcome.conflict.reason


def test_a_chain_of_reissues_pays_at_most_one_voucher():
    chain = chain_with_voucher()
    now = ISSUED_AT
    for sequence in range(2, 5):
        chain.current.expire(chain.current.expires_at)
        now = chain.current.expires_at
        chain.reissue(f"payout-{sequence}", now)
    outcomes = [chain.report_collected(v.code, now).collection for v in chain.vouchers]
    assert outcomes.count(Collection.PAY) == 1
    assert outcomes[-1] is Collection.PAY
    assert len({v.code for v in chain.vouchers}) == 4
    assert [v.status for v in chain.vouchers].count(VoucherStatus.COLLECTED) == 1
