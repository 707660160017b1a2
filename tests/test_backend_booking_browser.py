"""The booking flow in real Chromium with JavaScript switched off: choose a slot, a field error
shown next to the field with nothing lost, the confirmation with the .ics, cancel. axe-core
checks the pages in a second, JavaScript-enabled context."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.backend.fixtures import person

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEW = "/bookings/new?item=business-licence&kind=appointment"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def base_url(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


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
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", reference)
    assert "2026年11月27日 周五 10:00–10:30" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载日历提醒（.ics）").click()
    assert Path(download.value.path()).read_text().startswith("BEGIN:VCALENDAR")

    page.get_by_role("button", name="取消这个预约").click()
    assert "预约已取消" in page.content()
    assert "已取消" in page.locator("dl.facts").inner_text()
    context.close()


def _no_serious_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], page.url


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
