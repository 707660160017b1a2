"""The queue in real Chromium: a ticket taken at the kiosk page, called on the counter page,
shown live on the call display, and rated on the counter's evaluation device page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from forms_backend.evaluations.models import Evaluation
from forms_backend.extensions import db
from forms_backend.hall_queue.models import Ticket
from tests.backend.queue import device_token, make_counters
from tests.backend.servers import REDIS_URL
from tests.browser import (
    Relay,
    launched_browser,
    require_chromium,
    serving_directory,
    serving_wsgi,
)

sync_api = require_chromium()


@pytest.fixture
def backend_config(backend_config: dict) -> dict:
    """The real fan-out path: Redis pub/sub (unique channel prefix per test)."""
    return {
        **backend_config,
        "TESTING": False,
        "QUEUE_REDIS_URL": REDIS_URL,
        "QUEUE_CHANNEL_PREFIX": f"test-{uuid.uuid4().hex[:8]}:queue:",
    }


@pytest.fixture
def base_url(app) -> Iterator[str]:
    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_browser(sync_api) as browser:
        yield browser


def counter_page(browser, base_url: str, runner, counter: int):
    """The counter's page in a new context, signed in as a new hall staff member 赵敏 (zhao)."""
    result = runner.invoke(
        args=["users", "create", "zhao", "--name", "赵敏", "--password", "correct horse battery"]
        + ["--keep-password"]
    )
    assert result.exit_code == 0, result.output
    desk = browser.new_context().new_page()
    desk.goto(f"{base_url}/staff/login")
    desk.get_by_label("用户名").fill("zhao")
    desk.get_by_label("密码").fill("correct horse battery")
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{base_url}/staff/queue/counter/{counter}")
    return desk


def test_kiosk_counter_display_and_evaluation_device_work_together(app, browser, base_url, runner):
    counter = make_counters(app, [3])[0]
    token = device_token(app, counter)

    display = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    display.goto(f"{base_url}/queue/citizen-hall/display")
    display.wait_for_selector("[data-display][data-online=yes]")
    device = browser.new_context().new_page()
    device.goto(f"{base_url}/queue/device/{token}")
    device.get_by_text("办理完成后，请在这里为我们的服务评价。").wait_for()

    kiosk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    kiosk.goto(f"{base_url}/queue/citizen-hall/kiosk")
    kiosk.get_by_role("button", name="企业开办综合窗口").click()
    kiosk.wait_for_url("**/print?print=1")
    assert kiosk.locator(".slip-number").inner_text() == "A001"
    display.locator('.queues li[data-window="enterprise"] [data-count]').filter(
        has_text="1"
    ).wait_for()

    desk = counter_page(browser, base_url, runner, counter)
    desk.get_by_role("button", name="叫下一位").click()
    desk.get_by_text("正在办理").wait_for()

    display.locator("[data-now]").filter(has_text="请 A001 号到 3 号窗口办理").wait_for()
    assert display.locator("[data-recent] tr").first.inner_text().split() == ["A001", "3", "号"]

    desk.get_by_role("button", name="办结").click()
    desk.get_by_text("A001 号已办结").wait_for()
    device.get_by_text("请为本次服务评价（A001 号）").wait_for()  # the device reloaded itself
    device.locator("label.level-5").click()
    device.get_by_role("button", name="提交评价").click()
    device.get_by_text("感谢您的评价！").wait_for()

    with app.app_context():
        evaluation = db.session.scalar(select(Evaluation))
        ticket = db.session.scalar(select(Ticket))
        assert (evaluation.level, evaluation.ticket, evaluation.window) == (5, "A001", "enterprise")
        assert ticket.evaluation_id == evaluation.id and ticket.staff == "zhao"
        db.session.remove()


def test_site_statistics_page_shows_the_queue_figures(app, browser, base_url, clock, tmp_path):
    """The static site's 数据统计 page reads /api/queue/stats when it is viewed (CORS)."""
    from forms_backend.hall_queue import actions
    from forms_backend.hall_queue.models import Counter
    from site_gen.builder import build_site
    from tests.backend.fixtures import CATALOG

    counter_id = make_counters(app, [3])[0]
    with app.test_request_context():
        counter = db.session.get(Counter, counter_id)
        for _ in range(3):
            actions.issue_ticket("enterprise")
        clock.set("2026-11-25T10:12:00+08:00")
        actions.call_next(counter, "zhao")
        clock.set("2026-11-25T10:18:00+08:00")  # waited 12 and 18 minutes, served in 6
        actions.finish(counter, "zhao")
        actions.call_next(counter, "zhao")
        actions.recall(counter, "zhao")
        actions.recall(counter, "zhao")
        actions.skip(counter, "zhao")  # 过号
        db.session.remove()
    site = tmp_path / "site"
    build_site(CATALOG, site, strict=True, quiet=True, search=False, backend_url=base_url)
    with serving_directory(site) as url:
        origin = url.rstrip("/")
        app.config["SITE_ORIGIN"] = "https://somewhere-else.example"
        page = browser.new_context().new_page()
        page.goto(f"{origin}/stats/")
        page.wait_for_load_state("networkidle")
        assert page.locator(".banshi-queue").is_hidden()  # CORS refused: nothing shown
        page.context.close()
        app.config["SITE_ORIGIN"] = origin
        for width in (390, 1280):
            page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            page.goto(f"{origin}/stats/")
            section = page.locator(".banshi-queue")
            section.wait_for(state="visible")
            text = section.inner_text()
            assert "近 30 天大厅取号 3 张，办结 1 件，日均办件量 1.0 件" in text
            assert "平均等候 15.0 分钟（90% 的人不超过 18.0 分钟）" in text
            assert "平均办理 6.0 分钟；过号 1 张。" in text
            windows = section.locator("table").nth(0)
            cells = windows.locator("tbody tr").first.locator("td").all_inner_texts()
            assert cells == ["企业开办综合窗口", "3 / 1 / 1", "15.0 / 6.0"]
            hours = section.locator("table").nth(1).locator("tbody td").all_inner_texts()
            assert hours[:2] == ["10:00–11:00", "3"]
            days = section.locator("table").nth(2).locator("tbody td").all_inner_texts()
            assert days[:2] == ["11 月 25 日", "3 / 1 / 1"]
            section.screenshot(path=str(tmp_path / f"stats-queue-{width}.png"))
            page.locator("[data-banshi-elder]").first.click()  # 长辈版: larger type, same figures
            assert page.locator("html[data-elder]").count() == 1
            section.screenshot(path=str(tmp_path / f"stats-queue-{width}-elder.png"))
            page.context.close()


STREAM_IS = "state => window.__queueSource && window.__queueSource.readyState === state"
CONNECTING, OPEN = 0, 1
"""``EventSource.readyState`` of the page's stream (queue.js keeps it in ``__queueSource``)."""


@pytest.fixture
def relay(base_url) -> Iterator[Relay]:
    relay = Relay(base_url)
    yield relay
    relay.close()


def test_queue_pages_catch_up_on_a_call_made_while_their_stream_was_down(
    app, browser, base_url, relay, runner
):
    """The stream is not replayed: a page whose stream broke reads the state when it opens again."""
    from forms_backend.hall_queue import actions

    counter = make_counters(app, [3])[0]
    with app.test_request_context():
        mine = actions.issue_ticket("enterprise")[0].token  # A001
        actions.issue_ticket("enterprise")  # A002
        db.session.remove()
    desk = counter_page(browser, base_url, runner, counter)
    witness = browser.new_context().new_page()  # a display whose stream stays up
    witness.goto(f"{base_url}/queue/citizen-hall/display")
    # the display and the phone reach the server through the relay
    display = browser.new_context().new_page()
    display.goto(f"{relay.url}/queue/citizen-hall/display")
    phone = browser.new_context().new_page()
    phone.goto(f"{relay.url}/queue/ticket/{mine}")
    for page in (witness, display, phone):
        page.wait_for_function(STREAM_IS, arg=OPEN)
    waiting = '.queues li[data-window="enterprise"] [data-count]'
    assert display.locator(waiting).inner_text() == "2"
    assert "前面还有 0 人" in phone.locator(".mine-status").inner_text()

    relay.cut()  # the network drops: both open streams fail, reconnecting fails for now
    for page in (display, phone):
        page.wait_for_function(STREAM_IS, arg=CONNECTING)
    display.get_by_text("正在重新连接……").wait_for()
    desk.get_by_role("button", name="叫下一位").click()
    desk.get_by_text("正在办理").wait_for()
    call = "请 A001 号到 3 号窗口办理"
    witness.locator("[data-now]").filter(has_text=call).wait_for()  # published and delivered
    relay.restore()  # EventSource reconnects by itself (retry: 3000)

    display.get_by_text("叫号实时更新").wait_for()
    display.locator("[data-now]").filter(has_text=call).wait_for()
    display.locator(waiting).filter(has_text="1").wait_for()
    assert display.locator('.queues li[data-window="enterprise"] [data-next]').inner_text() == (
        "下一位 A002"
    )
    assert display.locator("[data-recent] tr").first.inner_text().split() == ["A001", "3", "号"]
    phone.get_by_text("请到 3 号窗口办理").wait_for()  # it reloaded: now called
    assert phone.locator("[data-live-hall]").get_attribute("data-status") == "called"
