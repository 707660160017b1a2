"""Slot generation from the catalog's window hours and China's working-day calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog import load_catalog
from catalog.workdays import CHINA
from forms_backend.slots import SlotKind, day_slots, horizon
from tests.backend.fixtures import confirmed_2027


@pytest.fixture(scope="module")
def enterprise(backend_catalog):
    return backend_catalog.windows["enterprise"]


def times(slots) -> list[str]:
    return [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in slots]


def test_regular_slots_follow_opening_hours(backend_catalog, enterprise):
    slots = day_slots(
        enterprise, dt.date(2026, 11, 26), SlotKind.REGULAR, backend_catalog.calendar, 30
    )
    assert times(slots)[:2] == ["09:00-09:30", "09:30-10:00"]
    assert "11:30-12:00" in times(slots) and "12:00-12:30" not in times(slots)
    assert times(slots)[-1] == "16:30-17:00"
    assert len(slots) == 6 + 7  # 09:00–12:00 and 13:30–17:00
    assert {s.capacity for s in slots} == {enterprise.counters}
    assert all(s.start.tzinfo is CHINA for s in slots)


def test_after_hours_slots_are_before_opening_and_after_closing(backend_catalog, enterprise):
    slots = day_slots(
        enterprise, dt.date(2026, 11, 26), SlotKind.AFTER_HOURS, backend_catalog.calendar, 30
    )
    assert times(slots) == ["08:00-08:30", "08:30-09:00", "17:00-17:30", "17:30-18:00"]


def test_slot_length_is_configurable(backend_catalog, enterprise):
    slots = day_slots(
        enterprise, dt.date(2026, 11, 26), SlotKind.REGULAR, backend_catalog.calendar, 60
    )
    assert times(slots) == [
        "09:00-10:00", "10:00-11:00", "11:00-12:00", "13:30-14:30", "14:30-15:30", "15:30-16:30",
    ]  # fmt: skip


def test_public_holiday_is_closed_even_for_weekend_service(backend_catalog, enterprise):
    national_day = dt.date(2026, 10, 1)
    saturday_in_holiday = dt.date(2026, 10, 3)
    for day in (national_day, saturday_in_holiday):
        for kind in SlotKind:
            assert day_slots(enterprise, day, kind, backend_catalog.calendar, 30) == []


def test_make_up_saturday_opens_regular_hours(backend_catalog, enterprise):
    make_up_saturday = dt.date(2026, 10, 10)  # 调休 after National Day
    regular = day_slots(
        enterprise, make_up_saturday, SlotKind.REGULAR, backend_catalog.calendar, 30
    )
    assert len(regular) == 13
    flexible = day_slots(
        enterprise, make_up_saturday, SlotKind.AFTER_HOURS, backend_catalog.calendar, 30
    )
    assert times(flexible)[0] == "08:00-08:30"  # a working day, so 早晚弹性 applies


def test_ordinary_saturday_has_only_weekend_service(backend_catalog, enterprise):
    saturday = dt.date(2026, 11, 28)
    calendar = backend_catalog.calendar
    assert day_slots(enterprise, saturday, SlotKind.REGULAR, calendar, 30) == []
    weekend = day_slots(enterprise, saturday, SlotKind.AFTER_HOURS, calendar, 30)
    assert times(weekend) == [
        "09:00-09:30", "09:30-10:00", "10:00-10:30", "10:30-11:00", "11:00-11:30", "11:30-12:00",
    ]  # fmt: skip


def test_window_without_weekend_hours_is_closed_on_saturday(backend_catalog):
    social = backend_catalog.windows["social-affairs"]
    assert (
        day_slots(social, dt.date(2026, 11, 28), SlotKind.AFTER_HOURS, backend_catalog.calendar, 30)
        == []
    )
    assert (
        day_slots(social, dt.date(2026, 11, 26), SlotKind.AFTER_HOURS, backend_catalog.calendar, 30)
        == []
    )


def test_no_day_of_a_year_without_a_recorded_holiday_schedule_is_offered(
    backend_catalog, enterprise
):
    calendar = backend_catalog.calendar
    for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 4)):  # New Year, then a plain Monday
        assert day_slots(enterprise, day, SlotKind.REGULAR, calendar, 30) == []
        assert day_slots(enterprise, day, SlotKind.AFTER_HOURS, calendar, 30) == []


def test_one_holiday_entered_for_2027_does_not_open_the_year(tmp_path):
    catalog_dir = confirmed_2027(tmp_path)
    text = (catalog_dir / "calendar.yml").read_text(encoding="utf-8")
    (catalog_dir / "calendar.yml").write_text(text.split("confirmed_years")[0], encoding="utf-8")
    catalog = load_catalog(catalog_dir)
    window = catalog.windows["enterprise"]
    assert day_slots(window, dt.date(2027, 1, 4), SlotKind.REGULAR, catalog.calendar, 30) == []


def test_2027_confirmed_in_the_catalog_opens_with_its_holidays(tmp_path):
    catalog_dir = confirmed_2027(tmp_path)
    catalog = load_catalog(catalog_dir)
    window = catalog.windows["enterprise"]
    assert day_slots(window, dt.date(2027, 1, 1), SlotKind.REGULAR, catalog.calendar, 30) == []
    assert len(day_slots(window, dt.date(2027, 1, 9), SlotKind.REGULAR, catalog.calendar, 30)) == 13


def test_horizon_is_tomorrow_to_fifth_working_day(backend_catalog):
    span = horizon(dt.date(2026, 11, 25), backend_catalog.calendar, 1, 5)
    assert (span.first, span.last) == (dt.date(2026, 11, 26), dt.date(2026, 12, 2))


def test_horizon_skips_national_day(backend_catalog):
    span = horizon(dt.date(2026, 9, 30), backend_catalog.calendar, 1, 5)
    # working days after 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13 Oct
    assert (span.first, span.last) == (dt.date(2026, 10, 1), dt.date(2026, 10, 13))


def test_horizon_stops_where_the_recorded_holiday_schedule_ends(backend_catalog):
    span = horizon(dt.date(2026, 12, 28), backend_catalog.calendar, 1, 5)
    assert (span.first, span.last) == (dt.date(2026, 12, 29), dt.date(2026, 12, 31))
    assert span.calendar_limit == dt.date(2026, 12, 31)
    assert span.explanation == (
        "2027 年的节假日安排尚未公布，目前只能预约到 2026年12月31日；公布后即可预约之后的日期。"
    )
    assert dt.date(2027, 1, 1) not in span


def test_horizon_is_empty_in_a_year_without_a_recorded_schedule(backend_catalog):
    span = horizon(dt.date(2027, 1, 4), backend_catalog.calendar, 1, 5)
    assert list(span.days()) == []
    assert span.explanation == "2027 年的节假日安排尚未公布，暂时不能预约。公布后即可预约。"


def test_horizon_runs_into_a_confirmed_year(tmp_path):
    catalog = load_catalog(confirmed_2027(tmp_path))
    span = horizon(dt.date(2026, 12, 30), catalog.calendar, 1, 5)
    assert span.last == dt.date(2027, 1, 7)  # 31 Dec, (1 Jan 元旦), 4, 5, 6, 7 Jan
    assert span.explanation == ""
