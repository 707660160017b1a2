"""The bookings staff pages in real Chromium at 1280 px (a hall PC) and 390 px (a phone): the
day list and the assisted queue have no column squeezed to one character per line, the home
visit is flagged, and axe-core finds nothing serious. Screenshots go to the test's tmp dir."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backend.fixtures import csrf_token, id_number, person
from tests.browser import launched_browser, require_chromium, serious_violations, serving_wsgi

sync_api = require_chromium()

SQUEEZED = """() => {
  const found = [];
  for (const cell of document.querySelectorAll("main table :is(th, td, button, a)")) {
    const text = cell.innerText.trim();
    if (text.length < 2 || cell.offsetParent === null) continue;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner < 1.9 * em) found.push(text.slice(0, 20) + " (" + Math.round(inner) + "px)");
  }
  return found;
}"""
"""Cells whose text has room for fewer than two characters a line."""


@pytest.fixture
def base_url(app) -> Iterator[str]:
    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_browser(sync_api) as browser:
        yield browser


@pytest.fixture
def busy_day(client, book, staff, clock) -> None:
    """A hall booking with a note, a no-show, and a home visit; then 26 Nov 10:00."""
    book(notes="需要轮椅，请在一楼窗口办理。")
    book(slot="2026-11-26T09:30:00+08:00")
    book(
        kind="assisted",
        elderly=True,
        home_visit=True,
        id_number=id_number(born=dt.date(1950, 1, 1), serial=77),
        address="青山区幸福路 8 号 3 单元 101 室，进小区后右转第二栋",
        notes="腿脚不便，请提前半小时电话联系。",
    )
    book(kind="assisted", disabled=True, slot="2026-11-26T14:00:00+08:00")
    clock.set("2026-11-26T10:00:00+08:00")
    staff.create("boss", role="admin")


@pytest.mark.parametrize("width", [1280, 390])
def test_day_list_and_assisted_queue_are_readable(
    browser, base_url, busy_day, tmp_path, width
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/staff/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill("correct horse battery")
    page.get_by_role("button", name="登录").click()
    page.goto(base_url + "/staff/bookings/?window=enterprise&date=2026-11-26")
    assert page.locator("strong.flag", has_text="上门服务").count() == 1
    assert page.get_by_role("button", name="已上门服务").count() == 1
    assert page.get_by_role("button", name="签到", exact=True).count() == 3
    page.screenshot(path=tmp_path / f"day-{width}.png", full_page=True)
    assert page.evaluate(SQUEEZED) == []
    assert serious_violations(page) == []
    page.goto(base_url + "/staff/bookings/assisted")
    page.get_by_role("button", name="我来负责").first.click()
    assert page.get_by_role("button", name="交回队列").count() == 1
    page.get_by_role("button", name="查看完整号码（会记入操作日志）").first.click()
    assert page.get_by_text("查看已记入操作日志").count() == 1
    folder = Path(os.environ.get("BANSHI_SCREENSHOTS") or tmp_path)  # to look at them
    page.screenshot(path=folder / f"assisted-{width}.png", full_page=True)
    assert page.evaluate(SQUEEZED) == []
    assert serious_violations(page) == []
    context.close()


def _lookup(page, base_url: str, reference: str, phone: str) -> None:
    page.goto(base_url + f"/bookings/lookup?reference={reference}")
    page.get_by_label("手机号后 4 位").fill(phone[-4:])
    page.get_by_role("button", name="查询").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_citizen_sees_the_no_show_record_and_the_home_visit(
    app, browser, base_url, client, book, staff, clock, tmp_path, width
) -> None:
    app.config.update(NO_SHOW_LIMIT=1)
    someone = person()
    missed = book(**someone).json["reference"]
    helper = person()
    visit = book(
        **helper,
        kind="assisted",
        disabled=True,
        home_visit=True,
        address="青山区幸福路 8 号 3 单元 101 室",
        slot="2026-11-27T09:00:00+08:00",
    ).json["reference"]
    staff.create()
    clock.set("2026-11-26T10:00:00+08:00")
    staff.login()
    day = client.get("/staff/bookings/?window=enterprise&date=2026-11-26").text
    client.post(
        f"/staff/bookings/{missed}/no-show",
        data={"csrf_token": csrf_token(day), "confirm": "yes"},
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _lookup(page, base_url, missed, someone["phone"])
    record = page.locator("#no-shows")
    assert "您有 1 次预约未按时到场" in record.inner_text()
    assert "2026年12月26日 前暂停网上预约" in record.inner_text()
    page.screenshot(path=tmp_path / f"no-show-{width}.png", full_page=True)
    assert serious_violations(page) == []
    _lookup(page, base_url, visit, helper["phone"])
    text = page.locator("main").inner_text()
    assert "青山区幸福路 8 号 3 单元 101 室" in text and "不用到大厅" in text
    assert "代理人居民身份证" not in text and "委托书" not in text
    assert "凭此号签到" not in text and "请携带以下材料" not in text
    page.screenshot(path=tmp_path / f"home-visit-{width}.png", full_page=True)
    assert serious_violations(page) == []
    context.close()
