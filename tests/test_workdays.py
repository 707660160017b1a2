"""The working-day calendar: official holidays, 调休 make-up days, local overrides, coverage."""

from __future__ import annotations

import datetime as dt

from catalog.settings import CalendarDay, CalendarOverrides, ConfirmedYear
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


def test_a_year_is_covered_only_when_official_or_confirmed_not_by_one_override() -> None:
    one_holiday = CalendarOverrides(holidays=[CalendarDay(date=D(2030, 1, 1), name="元旦")])
    assert WorkCalendar(one_holiday).missing_years(D(2029, 6, 1)) == [2029, 2030]
    confirmed = CalendarOverrides(
        holidays=[CalendarDay(date=D(2030, 1, 1), name="元旦")],
        confirmed_years=[
            ConfirmedYear(year=2030, notice="国务院办公厅关于2030年部分节假日安排的通知")
        ],
    )
    assert WorkCalendar(confirmed).missing_years(D(2029, 6, 1)) == [2029]


def test_coverage_ends_with_the_last_recorded_year() -> None:
    assert official_calendar_covers(2026) and not official_calendar_covers(2027)
    assert WorkCalendar().coverage_end(D(2026, 12, 1)) == D(2026, 12, 31)
    confirmed = CalendarOverrides(confirmed_years=[ConfirmedYear(year=2027, notice="通知")])
    assert WorkCalendar(confirmed).coverage_end(D(2026, 12, 1)) == D(2027, 12, 31)
    assert WorkCalendar().coverage_end(D(2027, 3, 1)) is None


def test_coverage_warning_starts_sixty_days_before_the_end() -> None:
    calendar = WorkCalendar()
    assert calendar.coverage_warning(D(2026, 10, 31)) is None  # 61 days before 31 Dec
    warning = calendar.coverage_warning(D(2026, 11, 1))  # 60 days before
    assert warning is not None
    assert warning.startswith(
        "国家节假日日历尚未收录 2027 年，calendar.yml 也没有确认 2027 年的放假安排，2026年12月31日以后的日期暂不开放预约。"
    )
    assert "catalog_yaml/calendar.yml" in warning and "confirmed_years" in warning
    assert (
        WorkCalendar()
        .coverage_warning(D(2027, 2, 1))
        .startswith(  # type: ignore[union-attr]
            "国家节假日日历尚未收录 2027 年，calendar.yml 也没有确认 2027 年的放假安排，2027 年的日期现在都不开放预约。"
        )
    )
