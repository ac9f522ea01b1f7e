"""Is the name a provider holds for an account the payee's name? Tolerantly, not loosely.

Providers write names their own way: without accents, upper case, family name first,
hyphens as spaces, or another transliteration of the same Arabic or Wolof name (Mohamed,
Muhammad). A mismatch does not refuse anything: it holds the payout for a person to review.
"""
from __future__ import annotations

import re
import unicodedata

MATCH, MISMATCH = "match", "mismatch"

# Letters that Unicode decomposition does not reduce to ASCII.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th", "ı": "i", "ħ": "h"})
# Spelling variants of the same sound across transliterations, longest first.
_SOUNDS = (("kh", "k"), ("ph", "f"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("dj", "j"), ("y", "i"),
           ("q", "k"), ("c", "k"), ("w", "u"))


def compare(provider_name: str | None, payee_name: str) -> str:
    """MATCH when both name the same person, allowing for order, accents, case, hyphens,
    a missing middle name and transliteration; MISMATCH otherwise (hold for review)."""
    theirs, ours = tokens(provider_name or ""), tokens(payee_name)
    if not theirs or not ours:
        return MISMATCH
    shorter, longer = sorted((theirs, ours), key=len)
    if len(shorter) < min(2, len(longer)):
        return MISMATCH  # a lone given name says too little about who holds the account
    remaining = list(longer)
    for token in shorter:
        found = next((other for other in remaining if _same_token(token, other)), None)
        if found is None:
            return MISMATCH
        remaining.remove(found)
    return MATCH


def tokens(name: str) -> list[str]:
    """The name's words, lower case, without accents, punctuation or hyphens."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in re.split(r"[^a-z]+", plain) if word]


def _same_token(one: str, other: str) -> bool:
    if one == other:
        return True
    a, b = _sound(one), _sound(other)
    if a == b:
        return True
    # Vowels are what transliterations disagree on most (Mohamed / Muhammad): same consonants,
    # same first letter, and only a small difference overall.
    return (len(a) >= 4 and a[0] == b[0] and _consonants(a) == _consonants(b)
            and _distance(a, b) <= 2)


def _sound(token: str) -> str:
    for spelling, sound in _SOUNDS:
        token = token.replace(spelling, sound)
    return re.sub(r"(.)\1+", r"\1", token)


def _consonants(token: str) -> str:
    return re.sub(r"[aeiou]", "", token)


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]
