"""The current time in China, replaceable by configuration so tests never depend on the date.

``app.config["NOW"]`` may be a callable returning an aware datetime, or an ISO 8601 string
(handy from the environment: ``BANSHI_NOW=2026-11-25T10:00:00+08:00``) for a frozen clock.
"""

from __future__ import annotations

import datetime as dt

from catalog.workdays import CHINA

from .extensions import the_app


def now() -> dt.datetime:
    """The current aware datetime in Asia/Shanghai."""
    configured = the_app().config.get("NOW")
    if configured is None:
        return dt.datetime.now(CHINA)
    value = configured() if callable(configured) else dt.datetime.fromisoformat(configured)
    if value.tzinfo is None:
        raise ValueError(f"NOW must give an aware datetime, got {value!r}; add +08:00.")
    return value.astimezone(CHINA)


def today() -> dt.date:
    """Today's date in China."""
    return now().date()
