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
from tests.browser import launched_browser, require_chromium, serving_wsgi

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


def test_kiosk_counter_display_and_evaluation_device_work_together(app, browser, base_url, runner):
    counter = make_counters(app, [3])[0]
    result = runner.invoke(
        args=[
            "users",
            "create",
            "zhao",
            "--name",
            "赵敏",
            "--password",
            "correct horse battery",
            "--keep-password",
        ]
    )
    assert result.exit_code == 0, result.output
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

    desk = browser.new_context().new_page()
    desk.goto(f"{base_url}/staff/login")
    desk.get_by_label("用户名").fill("zhao")
    desk.get_by_label("密码").fill("correct horse battery")
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{base_url}/staff/queue/counter/{counter}")
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
