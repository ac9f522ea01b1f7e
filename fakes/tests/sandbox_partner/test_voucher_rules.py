"""The voucher rules on their own, without a server."""
from sandbox_partner.vouchers import (CODE_ALPHABET, CODE_LENGTH, collection_refusal,
                                      generate_voucher_code, id_documents_match, is_overdue)


def test_codes_use_only_characters_that_cannot_be_misread():
    codes = {generate_voucher_code() for _ in range(200)}

    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_id_documents_match_regardless_of_case_spaces_and_dashes():
    assert id_documents_match("GM1234567", "gm 123-4567")
    assert not id_documents_match("GM1234567", "GM1234568")


def test_only_an_issued_voucher_can_be_overdue():
    assert is_overdue("ISSUED", expires_at=1_000, now=1_000)
    assert not is_overdue("ISSUED", expires_at=1_000, now=999)
    assert not is_overdue("COLLECTED", expires_at=1_000, now=2_000)


def test_an_issued_voucher_with_the_right_document_may_be_paid_out():
    assert collection_refusal("ISSUED", "GM1234567", "GM1234567") is None


def test_a_voucher_that_is_no_longer_issued_is_refused_whatever_the_document():
    for status in ("COLLECTED", "EXPIRED", "CANCELLED"):
        refusal = collection_refusal(status, "GM1234567", "GM1234567")
        assert (refusal.status, refusal.code) == (409, f"VOUCHER_{status}")
