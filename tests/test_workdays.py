"""The working-day calendar: official holidays, 调休 make-up days, local overrides, 2027 fallback."""

from __future__ import annotations

import datetime as dt

from catalog.settings import CalendarDay, CalendarOverrides
from catalog.workdays import WorkCalendar, official_calendar_covers

D = dt.date


def test_national_day_is_closed_and_make_up_saturday_is_open() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_working_day(D(2026, 10, 1))
    assert calendar.is_working_day(D(2026, 10, 10))  # Saturday, 调休 for National Day
    assert not calendar.is_weekend_service_day(D(2026, 10, 10))


def test_plain_weekend_is_a_weekend_service_day_but_a_festival_is_not() -> None:
    calendar = WorkCalendar()
    assert calendar.is_weekend_service_day(D(2026, 11, 28))
    assert not calendar.is_weekend_service_day(D(2026, 10, 3))  # Saturday inside National Day


def test_year_unknown_to_the_official_calendar_falls_back_to_weekends_off() -> None:
    assert not official_calendar_covers(2030)
    calendar = WorkCalendar()
    assert calendar.is_working_day(D(2030, 1, 1))  # Tuesday; no data, so treated as a workday
    assert not calendar.is_working_day(D(2030, 1, 5))  # Saturday


def test_local_overrides_win_over_the_official_calendar() -> None:
    overrides = CalendarOverrides(
        holidays=[CalendarDay(date=D(2030, 1, 1), name="元旦")],
        workdays=[CalendarDay(date=D(2030, 1, 5), name="调休上班")],
    )
    calendar = WorkCalendar(overrides)
    assert not calendar.is_working_day(D(2030, 1, 1))
    assert calendar.is_working_day(D(2030, 1, 5))


def test_working_days_after_skips_the_national_day_holiday() -> None:
    calendar = WorkCalendar()
    # 2026-09-30 (Wed) + 1 working day: Oct 1–7 are holidays, Oct 8 (Thu) is the next workday;
    # the third is Saturday Oct 10, a make-up working day.
    assert calendar.working_days_after(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.working_days_after(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_missing_years_are_those_neither_official_nor_overridden() -> None:
    assert WorkCalendar().missing_years(D(2029, 6, 1)) == [2029, 2030]
    overrides = CalendarOverrides(holidays=[CalendarDay(date=D(2030, 1, 1), name="元旦")])
    assert WorkCalendar(overrides).missing_years(D(2029, 6, 1)) == [2029]
