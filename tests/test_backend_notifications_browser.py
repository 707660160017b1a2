"""找回 and 发送记录 in a real browser at phone and desktop widths: the flow works without
JavaScript tricks, nothing overflows, no serious axe violation. Set SCREENSHOTS=folder to keep
the PNGs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.notifications.delivery import drain
from forms_backend.notifications.models import OutboxMessage
from tests.backend.fixtures import FIRST_SLOT, person
from tests.backend.providers import sms_config
from tests.browser import launched_browser, require_chromium, serious_violations, serving_wsgi

sync_api = require_chromium()


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide in a {viewport}px window"


@pytest.mark.parametrize("width", [390, 1280])
def test_recovery_and_send_log_pages_work_and_fit(backend_config, runner_factory, width, provider):
    server, endpoint = provider.start()  # an SMS channel: the page offers the code
    app = create_app({**sms_config(backend_config, endpoint), "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    me = person(phone="13955556666")
    body = {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT}
    reference = client.post("/api/bookings", json={**body, **me}).json["reference"]
    for _ in range(3):
        client.post("/api/bookings", json={**body, **person()})
    with app.app_context():
        drain()
    runner_factory(app).invoke(
        args=[
            "users",
            "create",
            "admin1",
            "--name",
            "管理员",
            "--password",
            "correct horse battery",
            "--role",
            "admin",
            "--keep-password",
        ]
    )
    with serving_wsgi(app) as base, launched_browser(sync_api) as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/bookings/mine/")
        _fits(page)
        assert serious_violations(page) == []
        _shot(page, f"recover-start-{width}")
        page.fill("#id_number", me["id_number"])
        page.fill("#phone", me["phone"])
        page.click("button[type=submit]")
        page.wait_for_url("**/bookings/mine/code")
        _fits(page)
        assert serious_violations(page) == []
        _shot(page, f"recover-code-{width}")
        with app.app_context():
            message = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.event == "recovery_code")
            ).one()
            code = json.loads(message.params)["code"]
        page.fill("#code", code)
        page.click("button[type=submit]")
        page.wait_for_url("**/bookings/mine/records")
        assert reference in page.inner_text("main")
        assert "139****6666" in page.inner_text("main")
        _fits(page)
        assert serious_violations(page) == []
        _shot(page, f"recover-mine-{width}")
        with app.app_context():
            drain()  # the worker's job (no worker under TESTING)
        page.goto(f"{base}/staff/login")
        page.fill("#username", "admin1")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        page.goto(f"{base}/staff/notifications/")
        text = page.inner_text("main")
        assert "发送记录" in text and "139****6666" in text and "******" in text
        assert code not in text  # the code is masked in the log
        _fits(page)
        assert serious_violations(page) == []
        _shot(page, f"staff-send-log-{width}")
    server.shutdown()


@pytest.mark.parametrize(("width", "elder"), [(390, False), (1280, False), (390, True)])
def test_without_sms_the_same_page_finds_a_booking_by_its_day(backend_config, width, elder):
    app = create_app({**backend_config, "WTF_CSRF_ENABLED": True})  # NOTIFY_CHANNEL none
    me = person(phone="13955557777")
    body = {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **me}
    reference = app.test_client().post("/api/bookings", json=body).json["reference"]
    with serving_wsgi(app) as base, launched_browser(sync_api) as browser:
        context = browser.new_context(viewport={"width": width, "height": 900})
        if elder:
            context.add_init_script("localStorage.setItem('banshi-elder', '1')")
        page = context.new_page()
        page.goto(f"{base}/bookings/recover")  # the old 找回预约号 address
        page.wait_for_url("**/bookings/mine/")
        assert "获取短信验证码" not in page.inner_text("main")
        page.fill("#id_number", me["id_number"])
        page.fill("#phone", me["phone"])
        page.fill("#date", "2026-11-27")  # not the booking's day
        page.click("button[type=submit]")
        assert "没有找到这一天的预约" in page.inner_text("main")
        _fits(page)
        assert serious_violations(page) == []
        _shot(page, f"recover-by-date-{width}{'-elder' if elder else ''}")
        page.fill("#date", "2026-11-26")
        page.click("button[type=submit]")
        page.wait_for_url(f"**/bookings/{reference}")
        assert reference in page.inner_text("main")
        context.close()


@pytest.fixture
def runner_factory():
    return lambda app: app.test_cli_runner()
