"""Reference codes people read aloud at the window: 8 characters without look-alikes."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: nothing that reads like something else."""
LENGTH = 8
PATTERN = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_reference(value: str) -> str:
    """Upper-case and strip spaces, so 'ab3d 5fgh' finds AB3D5FGH."""
    return re.sub(r"[\s-]+", "", value).upper()


def is_reference(value: str) -> bool:
    return bool(PATTERN.match(value))
