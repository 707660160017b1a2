"""No day is offered in a year whose official holiday schedule is not recorded; editors and staff
are warned from 60 days before the recorded schedule ends."""

from __future__ import annotations

import datetime as dt
import shutil

from catalog.loader import read_catalog
from tests.backend.fixtures import CATALOG, confirmed_2027

NOTE = "2027 年的节假日安排尚未公布，目前只能预约到 2026年12月31日；公布后即可预约之后的日期。"


def test_booking_page_explains_why_the_days_stop_at_the_new_year(client, clock):
    clock.set("2026-12-29T10:00:00+08:00")
    page = client.get("/bookings/new?item=business-licence").text
    assert NOTE in page
    assert "2027-01-04" not in page and "1月4日" not in page


def test_booking_page_has_no_note_when_the_horizon_is_complete(client):
    assert "节假日安排尚未公布" not in client.get("/bookings/new?item=business-licence").text


def test_staff_day_page_shows_the_calendar_warning(client, staff, clock):
    clock.set("2026-12-01T09:00:00+08:00")
    staff.create(windows="enterprise")
    staff.login()
    page = client.get("/staff/bookings/?window=enterprise&date=2026-12-01").text
    assert "2027 年的放假安排还没有录入，2026年12月31日以后的日期暂不开放预约。" in page
    assert "请通知事项目录的编辑录入" in page


def test_staff_day_page_is_quiet_far_from_the_end_of_the_recorded_year(client, staff, clock):
    clock.set("2026-06-01T09:00:00+08:00")
    staff.create(windows="enterprise")
    staff.login()
    assert "放假安排还没有录入" not in client.get("/staff/bookings/?window=enterprise").text


def calendar_warnings(catalog_dir, today: dt.date) -> list[str]:
    catalog, problems = read_catalog(catalog_dir, today=today)
    assert catalog is not None
    return [p.format() for p in problems if p.warning and p.path.name == "calendar.yml"]


def test_check_warns_editors_from_sixty_days_before_coverage_ends(tmp_path):
    shutil.copytree(CATALOG, tmp_path / "catalog")
    assert calendar_warnings(tmp_path / "catalog", dt.date(2026, 10, 31)) == []
    (warning,) = calendar_warnings(tmp_path / "catalog", dt.date(2026, 11, 1))
    assert warning.startswith(
        f"{tmp_path / 'catalog' / 'calendar.yml'}:3:1: 警告：国家节假日日历尚未收录 2027 年"
    )
    assert "在 catalog_yaml/calendar.yml 的 holidays 和 workdays 中填写放假和调休日期" in warning


def test_confirming_the_next_year_silences_the_warning(tmp_path):
    assert calendar_warnings(confirmed_2027(tmp_path), dt.date(2026, 12, 1)) == []
