"""Encryption at rest of a case's sensitive data (trafficking, health, substance
dependence, disability) with AES-256-GCM.

The key comes from configuration (INTAKE_SENSITIVE_DATA_KEY: base64url of 32 random
bytes), never from the repository. The associated data binds each ciphertext to its case
and field, so a ciphertext copied onto another case, or into another column, fails to
decrypt instead of revealing one person's data as another's.
"""
from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nameko.extensions import DependencyProvider

CONFIG_KEY = "INTAKE_SENSITIVE_DATA_KEY"
_VERSION = "v1"
_NONCE_BYTES = 12


class MissingSensitiveDataKey(RuntimeError):
    """The service cannot run without a valid key: it would store sensitive data in clear
    or be unable to read what it stored."""


def load_key(value: str | None) -> bytes:
    if not value:
        raise MissingSensitiveDataKey(
            f"{CONFIG_KEY} is not set: intake refuses to start without the key that encrypts "
            "sensitive case data. Set it to the base64url encoding of 32 random bytes, e.g. "
            "python -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())'")
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise MissingSensitiveDataKey(
            f"{CONFIG_KEY} must be the base64url encoding of exactly 32 bytes (AES-256)")
    return key


class SensitiveDataCipher:
    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def encrypt(self, case_id: str, field: str, value) -> str:
        """`value` (JSON-serialisable) as "v1:<base64url(nonce + ciphertext)>"."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, json.dumps(value).encode(), _aad(case_id, field))
        return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, case_id: str, field: str, token: str):
        """The value encrypted for this case and field; raises InvalidTag if the token was
        altered or belongs to another case or field."""
        version, _, encoded = token.partition(":")
        if version != _VERSION:
            raise ValueError(f"unknown ciphertext version {version!r}")
        raw = base64.urlsafe_b64decode(encoded.encode())
        plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _aad(case_id, field))
        return json.loads(plain)

    def __repr__(self) -> str:
        return "SensitiveDataCipher(<key hidden>)"


def _aad(case_id: str, field: str) -> bytes:
    return f"{case_id}|{field}".encode()


class SensitiveData(DependencyProvider):
    """The cipher, built once from configuration; a missing or malformed key stops the
    service at start-up with a message saying what to set."""

    def setup(self):
        self.cipher = SensitiveDataCipher(load_key(self.container.config.get(CONFIG_KEY)))

    def get_dependency(self, worker_ctx):
        return self.cipher
