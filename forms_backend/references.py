"""Reference codes people read aloud at the window: 8 characters without look-alikes."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: nothing that reads like something else."""
LENGTH = 8
PATTERN = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


_UNBIASED = 256 - 256 % len(ALPHABET)
"""Random bytes below this map evenly onto the alphabet (``byte % 31``); the rest are skipped."""


def new_reference() -> str:
    """A random code, uniform over the alphabet: one ``os.urandom`` call instead of one per
    character (``secrets.choice`` reads the system's randomness for every character)."""
    code = ""
    while len(code) < LENGTH:
        code += "".join(
            ALPHABET[byte % len(ALPHABET)]
            for byte in secrets.token_bytes(2 * LENGTH)
            if byte < _UNBIASED
        )
    return code[:LENGTH]


def normalise_reference(value: str) -> str:
    """Upper-case and strip spaces, so 'ab3d 5fgh' finds AB3D5FGH."""
    return re.sub(r"[\s-]+", "", value).upper()


def is_reference(value: str) -> bool:
    return bool(PATTERN.match(value))
