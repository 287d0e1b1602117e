"""PhotoShelter-style identifiers: 16 characters, a 5-character type prefix and 11 of `[a-zA-Z0-9._]`."""

from __future__ import annotations

import random
import re
import string

GALLERY = "G0000"
COLLECTION = "C0000"
IMAGE = "I0000"
ORGANIZATION = "O0000"
USER = "U0000"
ACCESS = "A0000"
ACCESS_RIGHT = "AR000"
CONTACT = "CT000"
CONTACT_GROUP = "CTG00"
OAUTH_CLIENT = "OAC00"

_SUFFIX_ALPHABET = string.ascii_letters + string.digits
_SUFFIX_RE = re.compile(r"[a-zA-Z0-9._]{11}")


def is_id(value: str | None, prefix: str) -> bool:
    """True when `value` is a well-formed id with the given type prefix."""
    if not value or len(value) != 16 or not value.startswith(prefix):
        return False
    return _SUFFIX_RE.fullmatch(value[5:]) is not None


def new_id(rng: random.Random, prefix: str, taken: set[str]) -> str:
    """Draw a fresh id with `prefix` from `rng` that is not in `taken` (and record it there)."""
    while True:
        value = prefix + "".join(rng.choice(_SUFFIX_ALPHABET) for _ in range(11))
        if value not in taken:
            taken.add(value)
            return value
