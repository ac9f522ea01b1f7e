"""Identifiers shaped like Stripe's: a type prefix and random base62 characters."""
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

# Lengths of the random part, as seen in Stripe's example objects.
_LENGTHS = {"acct": 16, "req": 14, "whsec": 32, "we": 24}


def new_id(prefix):
    return f"{prefix}_{random_part(_LENGTHS.get(prefix, 24))}"


def random_part(length):
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def random_digits(length):
    return "".join(secrets.choice(string.digits) for _ in range(length))
