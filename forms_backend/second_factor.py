"""The second factor of citizens' references: the last 4 digits of the phone.

A reference is printed on a slip or shown on a screen; the 4 digits make it useless to
whoever only saw it. Ten thousand combinations are few, so wrong tries are counted **per
reference** (``RATE_LIMIT_SECOND_FACTOR``, in the shared rate-limit storage) on top of the
per-address limits: once spent, every try on that reference, right or wrong, is a 429 until
the window passes. Every route that checks the digits goes through ``matches``.
"""

from __future__ import annotations

import hmac

from flask import abort, current_app
from limits import parse_many

from .extensions import limiter


def _limits():
    return parse_many(current_app.config["RATE_LIMIT_SECOND_FACTOR"])


def matches(kind: str, reference: str, stored_last4: str | None, given: str) -> bool:
    """Whether ``given`` are the right 4 digits for ``reference`` (``stored_last4`` is None
    when the reference does not exist). Aborts with 429 once the reference's tries are spent."""
    enabled = current_app.config["RATELIMIT_ENABLED"]
    key = (current_app.config["RATELIMIT_KEY_PREFIX"], "second-factor", kind, reference)
    if enabled and not all(limiter.limiter.test(item, *key) for item in _limits()):
        abort(429)
    right = stored_last4 is not None and hmac.compare_digest(stored_last4, given or "")
    if not right and enabled:
        for item in _limits():
            limiter.limiter.hit(item, *key)
    return right
