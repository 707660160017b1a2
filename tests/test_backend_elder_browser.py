"""长辈版 on the service pages, in Chromium: the choice made on the guide site (same origin, same
localStorage key) enlarges the booking pages too; the switch in the header turns it off and on
and is remembered; at phone width nothing scrolls sideways; staff pages have no switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import launched_browser, require_chromium, serving_wsgi, violations

sync_api = require_chromium()

PAGES = [
    "/bookings/new?item=business-licence&kind=appointment",
    "/bookings/lookup",
    "/apply/open-shop",
    "/evaluations/",
    "/feedback/",
]


@pytest.fixture
def base_url(app) -> Iterator[str]:
    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_browser(sync_api) as browser:
        yield browser


def _font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def test_the_guide_sites_choice_enlarges_every_service_page(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script("localStorage.setItem('banshi-elder', '1')")
    page = context.new_page()
    for path in PAGES:
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.hasAttribute('data-elder')"), path
        assert _font_px(page, "body") == pytest.approx(22.5), path  # 18 px × 1.25
        assert _font_px(page, "h1") == pytest.approx(1.6 * 20), path  # 1.6rem of 20 px
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways in 长辈版: {width} px"
        assert violations(page) == [], path
        page.screenshot(path=f"/tmp/banshi-elder{path.split('?')[0].replace('/', '-')}.png")
    context.close()


def test_the_switch_turns_it_off_and_on_and_is_remembered(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/bookings/lookup")
    switch = page.get_by_role("button", name="长辈版")
    assert switch.get_attribute("aria-pressed") == "false"
    assert _font_px(page, "body") == pytest.approx(18)
    switch.click()
    assert _font_px(page, "body") == pytest.approx(22.5)
    page.goto(base_url + "/feedback/")  # another page: still on
    assert _font_px(page, "body") == pytest.approx(22.5)
    on = page.get_by_role("button", name="标准版")
    assert on.get_attribute("aria-pressed") == "true"
    on.click()
    page.reload()
    assert _font_px(page, "body") == pytest.approx(18)
    assert page.evaluate("localStorage.getItem('banshi-elder')") == "0"
    context.close()


def test_without_javascript_the_switch_is_not_shown(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/bookings/lookup")
    assert page.locator("[data-banshi-elder]").count() == 1
    assert not page.locator("[data-banshi-elder]").is_visible()
    context.close()


def test_staff_pages_have_no_switch(client) -> None:
    assert "data-banshi-elder" not in client.get("/staff/login").text
    assert "data-banshi-elder" in client.get("/bookings/lookup").text


def test_choices_are_fingertip_sized_and_grow_in_elder_mode(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "/apply/open-shop")
    radio = page.locator("input[type=radio]").first
    normal = radio.bounding_box()["width"]
    assert normal == pytest.approx(24, abs=1)  # 1.5rem
    page.get_by_role("button", name="长辈版").click()
    assert radio.bounding_box()["width"] == pytest.approx(normal * 1.25, abs=1)
    context.close()
