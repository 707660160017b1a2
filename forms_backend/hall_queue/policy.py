"""Queue rules that depend only on the catalog and configuration: prefixes, opening times,
the call order, the green channel's age limit. No database access here."""

from __future__ import annotations

import datetime as dt
import string

from flask import current_app

from catalog import Window

from .. import clock
from ..catalog_access import calendar, catalog
from ..privacy import age_on
from .models import Priority

ORDER_VALUES = {p.value for p in Priority}


def windows_of_hall(hall: str) -> list[Window]:
    return [w for w in catalog().windows.values() if w.hall == hall]


def prefix_of(window: Window) -> str:
    """The ticket prefix: ``QUEUE_PREFIXES[window]``, else A, B, C … in catalog order per hall."""
    configured = current_app.config["QUEUE_PREFIXES"] or {}
    if window.id in configured:
        return str(configured[window.id])
    taken = {str(configured[w.id]) for w in windows_of_hall(window.hall) if w.id in configured}
    letters = [c for c in string.ascii_uppercase if c not in taken]
    unconfigured = [w.id for w in windows_of_hall(window.hall) if w.id not in configured]
    return letters[unconfigured.index(window.id) % len(letters)]


def call_order() -> list[Priority]:
    """``QUEUE_CALL_ORDER``: which kinds of ticket a counter calls first."""
    order = list(current_app.config["QUEUE_CALL_ORDER"])
    unknown = [v for v in order if v not in ORDER_VALUES]
    if unknown or sorted(order) != sorted(ORDER_VALUES):
        raise ValueError(
            f"QUEUE_CALL_ORDER must list booking, green and normal once each, got {order!r}."
        )
    return [Priority(v) for v in order]


def periods_today(window: Window, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Opening periods of ``window`` on ``day``: working-day hours, or weekend-service hours."""
    cal = calendar()
    if cal.is_working_day(day):
        periods = window.hours
    elif cal.is_weekend_service_day(day):
        periods = window.weekend
    else:
        periods = []
    tz = clock.now().tzinfo
    return [
        (
            dt.datetime.combine(day, p.start_time, tzinfo=tz),
            dt.datetime.combine(day, p.end_time, tzinfo=tz),
        )
        for p in periods
    ]


def issue_problem(window: Window, now: dt.datetime) -> str | None:
    """Why the kiosk cannot issue a ticket for ``window`` now (None: it can)."""
    periods = periods_today(window, now.date())
    if not periods:
        following = next_opening_day(window, now.date())
        return (
            f"今天 {window.name} 不办公，不能取号。"
            f"下一个办公日是 {following:%Y 年 %-m 月 %-d 日}，也可以在网上预约。"
        )
    early = dt.timedelta(minutes=int(current_app.config["QUEUE_ISSUE_EARLY_MINUTES"]))
    stop = dt.timedelta(minutes=int(current_app.config["QUEUE_ISSUE_STOP_MINUTES"]))
    for start, end in periods:
        if start - early <= now <= end - stop:
            return None
    hours = "、".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in periods)
    later = [s for s, _ in periods if s - early > now]
    if later:
        return f"现在不在取号时间。{window.name} 今天的办公时间是 {hours}，请在 {later[0] - early:%H:%M} 以后取号。"
    following = next_opening_day(window, now.date())
    return (
        f"今天的取号时间已经结束（办公时间 {hours}）。"
        f"下一个办公日是 {following:%Y 年 %-m 月 %-d 日}，可以在网上预约。"
    )


def closed_for_today(window: Window, now: dt.datetime) -> bool:
    """True after the last opening period of today (or all day on a closed day): no ticket is
    issued or called any more; those left waiting are offered a booking."""
    periods = periods_today(window, now.date())
    return not periods or now > periods[-1][1]


def next_opening_day(window: Window, after: dt.date) -> dt.date:
    """The next day (after ``after``) on which ``window`` opens."""
    day = after
    for _ in range(60):
        day += dt.timedelta(days=1)
        if periods_today(window, day):
            return day
    return day


def next_working_day(window: Window, after: dt.date) -> dt.date:
    """The next working day (after ``after``) with ``window``'s regular hours: the day a
    ticket left waiting at closing is offered a booking for (a 双休日 service day has no
    regular booking slots)."""
    cal = calendar()
    day = after
    for _ in range(60):
        day += dt.timedelta(days=1)
        if cal.is_working_day(day) and window.hours:
            return day
    return day


def elderly(id_number: str, today: dt.date) -> bool:
    return age_on(id_number, today) >= int(current_app.config["QUEUE_GREEN_AGE"])
