"""China's working-day calendar: the official calendar plus the catalog's local overrides.

``chinese-calendar`` knows the State Council's holiday notices up to the year it was released
for; it raises for later years. For such dates we fall back to weekends-off, and the catalog's
overrides (``calendar.yml``) can fill in holidays and 调休 make-up days until the package catches up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from .settings import CalendarOverrides

CHINA = ZoneInfo("Asia/Shanghai")
"""The hall's time zone: every date and slot is in China Standard Time."""


def china_today() -> dt.date:
    """Today's date in China, whatever the server's time zone."""
    return dt.datetime.now(CHINA).date()


@lru_cache(maxsize=64)
def official_calendar_covers(year: int) -> bool:
    """True when chinese-calendar has the official holiday notice for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Answers "is this a working day?" for the hall."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        overrides = overrides or CalendarOverrides()
        self.holidays = {d.date: d.name for d in overrides.holidays}
        self.workdays = {d.date: d.name for d in overrides.workdays}

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        if official_calendar_covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def is_weekend_service_day(self, day: dt.date) -> bool:
        """A Saturday or Sunday that is neither a holiday nor a make-up working day (双休日)."""
        if day.weekday() < 5 or self.is_working_day(day) or day in self.holidays:
            return False
        return not (official_calendar_covers(day.year) and _is_named_holiday(day))

    def working_days_after(self, start: dt.date, count: int) -> dt.date:
        """The date that is ``count`` working days after ``start`` (start itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days from ``start`` to ``end``, both included."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    def missing_years(self, today: dt.date) -> list[int]:
        """Years from this one to next that neither the official calendar nor the overrides cover."""
        covered = {d.year for d in self.holidays} | {d.year for d in self.workdays}
        return [
            year
            for year in (today.year, today.year + 1)
            if not official_calendar_covers(year) and year not in covered
        ]


def _is_named_holiday(day: dt.date) -> bool:
    """True when the official calendar names a festival on ``day`` (not just a weekend)."""
    _, name = chinese_calendar.get_holiday_detail(day)
    return name is not None
