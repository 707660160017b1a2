"""China's working-day calendar: the official calendar plus the catalog's local overrides.

``chinese-calendar`` knows the State Council's holiday notices up to the year it was released
for; it raises for later years. A year is **covered** when the package knows it or when
``calendar.yml`` confirms it (``confirmed_years``, after its holidays and 调休 days are entered).
No day of an uncovered year is offered for booking: until the State Council publishes the next
year's schedule, nobody can say which of its days are working days. Deadlines that run into an
uncovered year (follow-ups, time limits) are estimated with weekends off.
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


WARNING_DAYS = 60
"""``check`` and the staff day page warn this many days before the calendar's coverage ends."""
LOOKAHEAD_YEARS = 5


class WorkCalendar:
    """Answers "is this a working day?" for the hall."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        overrides = overrides or CalendarOverrides()
        self.holidays = {d.date: d.name for d in overrides.holidays}
        self.workdays = {d.date: d.name for d in overrides.workdays}
        self.confirmed = {c.year for c in overrides.confirmed_years}

    def covers(self, year: int) -> bool:
        """True when the year's official holiday schedule is recorded (package or calendar.yml)."""
        return year in self.confirmed or official_calendar_covers(year)

    def coverage_end(self, today: dt.date) -> dt.date | None:
        """The last day of the run of covered years starting with today's; None if today's isn't."""
        if not self.covers(today.year):
            return None
        year = today.year
        while year < today.year + LOOKAHEAD_YEARS and self.covers(year + 1):
            year += 1
        return dt.date(year, 12, 31)

    def coverage_warning(self, today: dt.date, for_staff: bool = False) -> str | None:
        """A Chinese warning when coverage ends within :data:`WARNING_DAYS` days, else None.

        Editors are told which file and keys to edit; hall staff (``for_staff``) whom to ask.
        """
        end = self.coverage_end(today)
        if end is not None and (end - today).days > WARNING_DAYS:
            return None
        missing = end.year + 1 if end else today.year
        if end is None:
            effect = f"{missing} 年的日期现在都不开放预约"
        else:
            effect = f"{end:%Y年%m月%d日}以后的日期暂不开放预约"
        if for_staff:
            return (
                f"{missing} 年的放假安排还没有录入，{effect}。国务院办公厅发布 {missing} 年放假安排后，"
                "请通知事项目录的编辑录入，录入后群众即可预约之后的日期。"
            )
        return (
            f"国家节假日日历尚未收录 {missing} 年，calendar.yml 也没有确认 {missing} 年的放假安排，"
            f"{effect}。国务院办公厅发布 {missing} 年放假安排后，请在 catalog_yaml/calendar.yml 的 "
            f"holidays 和 workdays 中填写放假和调休日期，并在 confirmed_years 中写上 {missing} 年"
            "和通知名称；或者请开发人员升级 chinesecalendar。"
        )

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
        """Years from this one to next that neither the official calendar nor calendar.yml cover.

        A holiday or make-up day entered for a year does not cover it: only ``confirmed_years``
        says that the whole year's schedule has been entered.
        """
        return [year for year in (today.year, today.year + 1) if not self.covers(year)]


def _is_named_holiday(day: dt.date) -> bool:
    """True when the official calendar names a festival on ``day`` (not just a weekend)."""
    _, name = chinese_calendar.get_holiday_detail(day)
    return name is not None
