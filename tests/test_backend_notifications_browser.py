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
def test_recovery_and_send_log_pages_work_and_fit(backend_config, runner_factory, width):
    app = create_app({**backend_config, "WTF_CSRF_ENABLED": True})
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


@pytest.fixture
def runner_factory():
    return lambda app: app.test_cli_runner()
