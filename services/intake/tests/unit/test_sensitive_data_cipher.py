import base64
import os

import pytest
from cryptography.exceptions import InvalidTag

from intake.adapters.crypto import MissingSensitiveDataKey, SensitiveDataCipher, load_key

KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def cipher():
    return SensitiveDataCipher(load_key(KEY))


def test_what_is_encrypted_for_a_case_and_field_decrypts_there(cipher):
    token = cipher.encrypt("case-1", "factors", ["victim_of_trafficking"])
    assert "trafficking" not in token
    assert cipher.decrypt("case-1", "factors", token) == ["victim_of_trafficking"]


def test_the_same_value_never_encrypts_the_same_way_twice(cipher):
    assert cipher.encrypt("case-1", "factors", ["x"]) != cipher.encrypt("case-1", "factors", ["x"])


@pytest.mark.parametrize("case_id, field", [("case-2", "factors"), ("case-1", "other")])
def test_a_ciphertext_moved_to_another_case_or_field_does_not_decrypt(cipher, case_id, field):
    token = cipher.encrypt("case-1", "factors", ["x"])
    with pytest.raises(InvalidTag):
        cipher.decrypt(case_id, field, token)


def test_an_altered_ciphertext_does_not_decrypt(cipher):
    token = cipher.encrypt("case-1", "factors", ["x"])
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        cipher.decrypt("case-1", "factors", "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode())


@pytest.mark.parametrize("value", [None, "", "not base64!", base64.urlsafe_b64encode(b"short").decode()])
def test_a_missing_or_malformed_key_is_refused_with_a_message(value):
    with pytest.raises(MissingSensitiveDataKey, match="INTAKE_SENSITIVE_DATA_KEY"):
        load_key(value)


def test_the_key_never_shows_in_a_repr(cipher):
    assert KEY not in repr(cipher) and "hidden" in repr(cipher)
