"""The booking flow in real Chromium with JavaScript switched off: choose a slot, a field error
shown next to the field with nothing lost, the confirmation with the .ics, cancel. axe-core
checks the pages in a second, JavaScript-enabled context."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms_backend.references import is_reference
from tests.backend.fixtures import person
from tests.browser import launched_browser, require_chromium, serious_violations, serving_wsgi

NEW = "/bookings/new?item=business-licence&kind=appointment"

sync_api = require_chromium()


@pytest.fixture
def base_url(app) -> Iterator[str]:
    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_browser(sync_api) as browser:
        yield browser


def _fill(page, who: dict[str, str], phone: str | None = None) -> None:
    page.get_by_label("姓名").fill(who["name"])
    page.get_by_label("身份证号").fill(who["id_number"])
    page.get_by_label("手机号").fill(phone or who["phone"])


def test_booking_works_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + NEW)
    assert page.locator("h1").inner_text() == "预约办理：个体工商户设立登记"
    page.get_by_role("link", name=re.compile("11月27日 周五")).click()
    page.get_by_label(re.compile("10:00–10:30")).check()
    someone = person(name="赵敏")
    _fill(page, someone, phone="1381234")
    page.get_by_role("button", name="确认预约").click()

    assert "手机号应为 11 位数字" in page.locator(".field.invalid").inner_text()
    assert page.get_by_label("姓名").input_value() == "赵敏"  # nothing typed is lost
    assert page.get_by_label("身份证号").input_value() == someone["id_number"]
    assert page.get_by_label(re.compile("10:00–10:30")).is_checked()

    page.get_by_label("手机号").fill(someone["phone"])
    page.get_by_role("button", name="确认预约").click()
    assert page.locator("h1").inner_text() == "预约成功"
    reference = page.locator(".reference").inner_text()
    assert is_reference(reference)
    assert "2026年11月27日 周五 10:00–10:30" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载日历提醒（.ics）").click()
    assert Path(download.value.path()).read_text().startswith("BEGIN:VCALENDAR")

    page.get_by_role("link", name="取消这个预约").click()
    assert "确定要取消这个预约吗？" in page.content()
    page.get_by_role("button", name="确定取消预约").click()
    assert "预约已取消" in page.content()
    assert "已取消" in page.locator("dl.facts").inner_text()
    context.close()


def _no_serious_violations(page) -> None:
    assert serious_violations(page) == [], page.url


def test_booking_pages_pass_axe(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + NEW)
    _no_serious_violations(page)
    page.get_by_label(re.compile("09:00–09:30")).check()
    _fill(page, person(), phone="12")
    page.get_by_role("button", name="确认预约").click()
    assert page.locator(".summary").is_visible()
    _no_serious_violations(page)  # with errors shown
    page.get_by_label("手机号").fill(person()["phone"])
    page.get_by_role("button", name="确认预约").click()
    assert page.locator("h1").inner_text() == "预约成功"
    _no_serious_violations(page)
    page.goto(base_url + "/bookings/lookup")
    _no_serious_violations(page)
    page.goto(base_url + "/staff/login")
    _no_serious_violations(page)
    context.close()
