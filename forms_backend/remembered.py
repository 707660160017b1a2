"""References this browser has just used, kept in the signed session cookie.

After booking, applying or looking something up with the reference and the phone digits, the
applicant sees that record again without typing them; any other reference asks for them.
"""

from __future__ import annotations

from flask import session

REMEMBERED = 10
"""How many references of one kind a browser keeps (the most recent first)."""


def remember(kind: str, reference: str) -> None:
    """Let this browser open ``reference`` (of ``kind``, e.g. ``bookings``) again."""
    known = [r for r in session.get(kind, []) if r != reference]
    session[kind] = [reference, *known][:REMEMBERED]


def remembered(kind: str, reference: str) -> bool:
    """True when this browser has used ``reference`` recently."""
    return reference in session.get(kind, [])
