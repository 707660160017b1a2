"""The guide on a phone, in 长辈版, by keyboard and on paper, in real Chromium.

axe-core with no violation of any impact, no sideways scrolling at 320 px on any page, 长辈版
scaling everything by one factor with 48 px touch targets, the step-by-step 情形引导, the skip
link, the focus ring's contrast, 今天开放吗, the one-page printed checklist, and a site built
without a backend that never calls one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog import load_catalog
from catalog.workdays import CHINA
from site_gen.builder import build_site
from tests.browser import require_chromium, serving_directory, violations
from tests.site_fixtures import ROOT

sync_api = require_chromium()

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
ELDER = "localStorage.setItem('banshi-elder', '1')"


def new_page(browser: object, width: int, height: int = 900, elder: bool = False) -> object:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    if elder:
        context.add_init_script(ELDER)
    return context.new_page()


@pytest.fixture
def pages(browser: object) -> Iterator[list]:
    """Pages opened by the test, each closed afterwards; JavaScript errors fail the test."""
    opened: list = []
    errors: list[str] = []

    def open_page(width: int, height: int = 900, elder: bool = False) -> object:
        page = new_page(browser, width, height, elder)
        page.on("pageerror", lambda exc: errors.append(str(exc)))  # type: ignore[attr-defined]
        opened.append(page)
        return page

    yield open_page  # type: ignore[misc]
    for page in opened:
        page.context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def open_header_results(page: object) -> None:
    """Type into the header search box and wait for the live results under it."""
    page.fill("#banshi-header-q", "营业执照")  # type: ignore[attr-defined]
    page.wait_for_selector("#banshi-header-results .banshi-header-search__option")  # type: ignore[attr-defined]


def answer_first_question(page: object) -> None:
    page.locator("[data-banshi-guide] fieldset:not([hidden]) input").first.check()  # type: ignore[attr-defined]


A11Y_PAGES = {
    "home": ("", None),
    "item": ("items/business-licence/", None),
    "bundle": ("bundles/open-restaurant/", None),
    "search": ("search/?q=营业执照", ".banshi-search__result"),
    "search-live": ("about/", open_header_results),
    "guide": ("bundles/low-risk-food-business/", answer_first_question),
    "stats": ("stats/", None),
    "404": ("no-such-page/", None),
}


@pytest.mark.parametrize("name", list(A11Y_PAGES))
@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_accessibility_violations_of_any_impact(
    pages, base_url: str, name: str, size: str, elder: bool
) -> None:
    path, ready = A11Y_PAGES[name]
    page = pages(*WIDTHS[size], elder=elder)
    if name == "404":
        page.goto(base_url + "404.html")
    else:
        page.goto(base_url + path)
    if isinstance(ready, str):
        page.wait_for_selector(ready)
    elif ready is not None:
        ready(page)
    assert violations(page) == []


def generated_pages(site_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site_dir).parent) + "/" if p.name == "index.html" else p.name
        for p in site_dir.rglob("*.html")
        if "pagefind" not in p.parts
    )


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_page_scrolls_sideways_at_320_px(
    pages, base_url: str, site_dir: Path, elder: bool
) -> None:
    page = pages(320, 640, elder=elder)
    paths = generated_pages(site_dir)
    assert len(paths) > 100
    wide, cut = {}, {}
    for path in paths:
        page.goto(base_url + ("" if path == "./" else path), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
        # Phone cards are content-visibility: auto, which clips what overflows them: laid out
        # in full, none may be wider than itself.
        page.add_style_tag(content="[data-table] tr { content-visibility: visible !important; }")
        overflowing = page.evaluate(CARDS_WIDER_THAN_THEMSELVES)
        if overflowing:
            cut[path] = overflowing
    assert wide == {}
    assert cut == {}


CARDS_WIDER_THAN_THEMSELVES = """() => [...document.querySelectorAll('[data-table] tbody tr')]
    .filter(tr => tr.offsetParent !== null && tr.scrollWidth > tr.clientWidth + 1)
    .map(tr => tr.textContent.trim().slice(0, 20))"""


def font_sizes(page: object) -> dict[str, float]:
    return page.evaluate(  # type: ignore[attr-defined]
        """() => Object.fromEntries(Object.entries({
            body: '.md-typeset .banshi-lead', cell: '[data-table="materials"] td[data-label]',
            note: '[data-table="materials"] .banshi-note', button: '.banshi-actions .md-button',
            title: '.md-header__title', services: '.banshi-services a', nav: '.md-nav__link',
            radio: '[data-banshi-guide] label', heading: '.md-typeset h2',
        }).map(([k, sel]) => [k, parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)]))"""
    )


@pytest.mark.parametrize("size", list(WIDTHS))
def test_elder_mode_enlarges_everything_by_one_factor(pages, base_url: str, size: str) -> None:
    normal = pages(*WIDTHS[size])
    normal.goto(base_url + "items/business-licence/")
    before = font_sizes(normal)
    assert before["body"] >= 16 and before["cell"] >= 16 and before["note"] >= 14
    elder = pages(*WIDTHS[size], elder=True)
    elder.goto(base_url + "items/business-licence/")
    after = font_sizes(elder)
    assert {k: round(after[k] / before[k], 3) for k in before} == {k: 1.25 for k in before}
    radio = "document.querySelector('[data-banshi-guide] input[type=radio]').getBoundingClientRect().width"
    assert normal.evaluate(radio) >= 20  # a fingertip's target, not the 13 px default
    assert round(elder.evaluate(radio) / normal.evaluate(radio), 3) == 1.25


@pytest.mark.parametrize("size", list(WIDTHS))
def test_elder_mode_touch_targets_are_at_least_48_px(pages, base_url: str, size: str) -> None:
    page = pages(*WIDTHS[size], elder=True)
    page.goto(base_url + "items/business-licence/")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.banshi-actions .md-button, [data-banshi-guide] label, [data-banshi-guide] button, '
                + '.banshi-services a, .banshi-download, .banshi-elder-toggle, .banshi-header-search__submit, '
                + '.banshi-footer-links a')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim().slice(0, 12), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 48)"""
    )
    assert small == []


def test_elder_mode_header_title_is_readable_at_390_px(pages, base_url: str) -> None:
    for elder in (False, True):
        page = pages(390, 844, elder=elder)
        page.goto(base_url + "items/business-licence/")
        shown = page.evaluate(
            """() => { const t = document.querySelector('.md-header__topic .md-ellipsis');
                       return [t.scrollWidth <= t.clientWidth + 1, t.getBoundingClientRect().width,
                               parseFloat(getComputedStyle(t).fontSize)]; }"""
        )
        fits, width, size = shown
        assert fits, "the site title is cut off"
        assert size >= 16 and width >= 11 * size * 0.95  # all 11 characters at ≥ 16 px


def test_phone_materials_are_stacked_cards_with_every_column(pages, base_url: str) -> None:
    page = pages(390, 844)
    page.goto(base_url + "bundles/low-risk-food-business/")
    card = page.locator('[data-table="materials"] tbody tr').first
    labels = card.evaluate(
        """tr => [...tr.querySelectorAll('td')].filter(td => td.offsetParent !== null)
            .map(td => getComputedStyle(td, '::before').content)"""
    )
    assert labels == ["none", '"原件/复印件："', '"份数："', '"载体："', '"来源："', '"用于："']
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


AFTER_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
HEADING_TOP = "Math.round(document.getElementById('sub-items').getBoundingClientRect().top)"


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_phone_anchors_below_the_cards_land_at_their_heading(
    pages, base_url: str, elder: bool
) -> None:
    """The first layout skips the cards off screen (content-visibility): an #anchor below them
    must still land at its heading, on arrival and after the cards have been laid out."""
    page = pages(390, 844, elder=elder)
    page.goto(base_url + "bundles/open-restaurant/")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-table] tbody tr')]
            .every(tr => tr.style.contentVisibility === 'visible')"""
    )
    page.evaluate("location.hash = '#sub-items'")
    page.evaluate(AFTER_TWO_FRAMES)
    after_layout = page.evaluate(HEADING_TOP)
    arriving = pages(390, 844, elder=elder)
    arriving.goto(base_url + "bundles/open-restaurant/#sub-items")
    arriving.evaluate(AFTER_TWO_FRAMES)
    on_arrival = arriving.evaluate(HEADING_TOP)
    # Material's scroll margin under the header: 3.6rem, 72 px (90 px in 长辈版).
    assert 0 <= after_layout <= 100 and 0 <= on_arrival <= 100, (after_layout, on_arrival)


def test_situation_questions_come_one_at_a_time_and_skip_what_no_longer_matters(
    pages, base_url: str
) -> None:
    page = pages(390, 844)
    page.goto(base_url + "bundles/open-restaurant/")
    shown = page.locator("[data-banshi-guide] fieldset:not([hidden]) legend")
    assert shown.all_inner_texts() == ["以什么形式经营？"]
    status = page.locator(".banshi-guide__status")
    assert status.inner_text().startswith("第 1 个问题")
    page.get_by_label("个体工商户").check()
    assert shown.all_inner_texts() == ["以什么形式经营？", "店内是否设有供顾客就餐的堂食区域？"]
    for _ in range(10):  # answer the rest, one by one, with the first option
        current = page.locator("[data-banshi-guide] fieldset:not([hidden])").last
        if current.locator("input:checked").count():
            break
        current.locator("input").first.check()
    asked = shown.all_inner_texts()
    assert "股东中是否有企业法人？" not in asked  # company question, skipped for 个体工商户
    assert "公司住所是自有房屋还是租赁房屋？" not in asked
    assert status.inner_text().startswith(f"已回答全部 {len(asked)} 个问题")
    # Changing the first answer to 公司 brings the company's questions back, in order.
    page.get_by_label("公司", exact=True).check()
    page.locator("[data-banshi-guide] fieldset:not([hidden])").last.wait_for()
    for _ in range(10):
        current = page.locator("[data-banshi-guide] fieldset:not([hidden])").last
        if current.locator("input:checked").count():
            break
        current.locator("input").first.check()
    assert "股东中是否有企业法人？" in shown.all_inner_texts()


def test_skip_link_leads_straight_to_the_situation_guide(pages, base_url: str) -> None:
    page = pages(1280)
    page.goto(base_url + "items/business-licence/")
    page.keyboard.press("Tab")  # Material's 跳转至
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到情形引导"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.type, document.activeElement.name]")
    assert focused == ["radio", "agent"]
    page.keyboard.press("Space")
    assert page.locator("input[name=agent]").first.is_checked()


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb[:3]]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def test_focus_ring_contrasts_at_least_3_to_1(pages, base_url: str) -> None:
    """Every stop from the top of the page (skip links, header, services, content): a solid
    ring ≥ 3 px whose colour contrasts ≥ 3:1 with what is behind the focused control."""
    page = pages(1280)
    page.goto(base_url + "items/business-licence/")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        style, width, colour, background, label = page.evaluate(
            r"""() => { const el = document.activeElement, s = getComputedStyle(el);
                       let up = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
                       while (up && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
                           bg = getComputedStyle(up).backgroundColor; up = up.parentElement; }
                       return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, bg,
                               (el.textContent || el.name || el.id).trim().slice(0, 10)]; }"""
        )
        if background.startswith("rgba(0, 0, 0, 0)"):
            background = "rgb(255, 255, 255)"
        seen.append(label)
        assert style == "solid" and width >= 3, label
        assert contrast(rgb(colour), rgb(background)) >= 3, (label, colour, background)
    assert "长辈版" in seen and "我要预约" in seen  # header stops were checked


def first_day(start: dt.date, wanted) -> dt.date:  # type: ignore[no-untyped-def]
    return next(d for d in (start + dt.timedelta(days=n) for n in range(60)) if wanted(d))


def test_today_says_whether_the_window_is_open(pages, base_url: str, site_dir: Path) -> None:
    calendar = load_catalog(ROOT / "catalog_yaml").calendar
    page_html = (site_dir / "items/business-licence/index.html").read_text(encoding="utf-8")
    built_on = re.search(r"days&quot;:&quot;(\d{4}-\d\d-\d\d):", page_html).group(1)
    built = dt.date.fromisoformat(built_on)
    last = calendar.coverage_end(built) or built  # later days are "to be confirmed" (below)
    working = first_day(built, calendar.is_working_day)
    weekend = first_day(built, calendar.is_weekend_service_day)
    if weekend > last:
        pytest.skip("no weekend service day left in the calendar's coverage (end of year)")
    page = pages(390, 844)
    page.clock.set_fixed_time(dt.datetime.combine(working, dt.time(10, 0), CHINA))
    page.goto(base_url + "items/business-licence/")
    today = page.locator(".banshi-today")
    today.wait_for(state="visible")
    assert f"今天（{working.month}月{working.day}日" in today.inner_text()
    assert "开放：08:30–12:00、14:00–17:30，现在正在办公。" in today.inner_text()
    page.clock.set_fixed_time(dt.datetime.combine(working, dt.time(13, 0), CHINA))
    page.reload()
    assert "现在不在办公时间" in page.locator(".banshi-today").inner_text()
    # A weekend: the enterprise window opens (双休日不打烊), the construction window does not.
    page.clock.set_fixed_time(dt.datetime.combine(weekend, dt.time(10, 0), CHINA))
    page.reload()
    assert "开放：09:00–12:00，现在正在办公。" in page.locator(".banshi-today").inner_text()
    page.goto(base_url + "items/construction-permit/")
    closed = page.locator(".banshi-today").inner_text()
    assert (
        f"今天（{weekend.month}月{weekend.day}日" in closed and "不开放。下一个办公日：" in closed
    )


def test_printed_checklist_fits_one_a4_page_with_names_unbroken(
    pages, base_url: str, sample_catalog
) -> None:
    longest = max(sample_catalog.published_items(), key=lambda i: len(i.materials))
    page = pages(1280)
    for path in ("items/business-licence/", f"items/{longest.id}/"):
        page.goto(base_url + path)
        page.emulate_media(media="print")
        broken = page.evaluate(
            """() => [...document.querySelectorAll('[data-table="materials"] td strong')]
                .filter(s => s.getClientRects().length > 1).map(s => s.textContent)"""
        )
        assert broken == [], f"{path}: material names broken across lines"
        pdf = page.pdf(format="A4", print_background=False)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, path


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site built with ``backend_url: false`` (a static guide only), served."""
    target = tmp_path_factory.mktemp("offline-site")
    build_site(
        ROOT / "catalog_yaml", target, strict=True, quiet=True, backend_url=False, search=False
    )
    with serving_directory(target) as url:
        yield url


@pytest.mark.parametrize(
    "path", ["", "items/business-licence/", "bundles/open-restaurant/", "stats/"]
)
def test_without_a_backend_nothing_calls_one_and_the_console_stays_clean(
    pages, offline_site: str, path: str
) -> None:
    page = pages(390, 844)
    messages: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: messages.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("request", lambda r: requests.append(r.url))
    page.goto(offline_site + path)
    page.wait_for_load_state("networkidle")
    assert messages == []
    backend = [u for u in requests if re.search(r"/(api|bookings|apply|evaluations|feedback)/", u)]
    assert backend == []
    assert page.locator(".banshi-services").count() == 0
    assert page.locator("a[href*='/bookings/']").count() == 0


TODAY_CASES = [
    # (when, window, what the page says): the map is built on Monday 2026-09-14, the official
    # calendar is taken to cover 2026 only, so 2027 is beyond the calendar's coverage.
    (
        "2026-09-15 10:00",
        "enterprise",
        "今天（9月15日 周二）开放：08:30–12:00、14:00–17:30，现在正在办公。",
    ),
    ("2026-09-19 10:00", "enterprise", "今天（9月19日 周六）开放：09:00–12:00，现在正在办公。"),
    (
        "2026-09-19 10:00",
        "construction",
        "今天（9月19日 周六）不开放。下一个办公日：9月20日 周日 08:30 起。",
    ),
    (
        "2026-09-20 15:00",
        "construction",
        "今天（9月20日 周日）开放：08:30–12:00、14:00–17:30，现在正在办公。",
    ),
    (
        "2026-10-01 10:00",
        "enterprise",
        "今天（10月1日 周四）不开放。下一个办公日：10月8日 周四 08:30 起。",
    ),
    (
        "2026-12-31 18:00",
        "enterprise",
        "今天（12月31日 周四）开放：08:30–12:00、14:00–17:30，现在不在办公时间。",
    ),
    (
        "2027-01-04 10:00",
        "enterprise",
        "今天（1月4日 周一）：2027 年的节假日安排尚未公布，今天是否办公待确认。"
        "平时工作日的办公时间是 08:30–12:00、14:00–17:30。",
    ),
    (
        "2027-01-09 10:00",
        "construction",
        "今天（1月9日 周六）：2027 年的节假日安排尚未公布，今天是否办公待确认。平时双休日不开放。",
    ),
]


@pytest.fixture
def today_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A page with the 什么时间 answer of two windows (one open at weekends), its opening-day map
    built on 2026-09-14 by a calendar that covers 2026 and not 2027, and the site's banshi.js."""
    from catalog import workdays
    from site_gen.site import Site
    from site_gen.summary import when_answer

    monkeypatch.setattr(workdays, "official_calendar_covers", lambda year: year <= 2026)
    catalog = load_catalog(ROOT / "catalog_yaml")
    site = Site.full(catalog, today=dt.date(2026, 9, 14))
    spans = "".join(
        f'<p id="{w}">{when_answer(site, catalog.windows[w])}</p>'
        for w in ("enterprise", "construction")
    )
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>t</title>'
        f'<body>{spans}<script src="banshi.js"></script></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "banshi.js").write_bytes((ROOT / "docs/assets/banshi/banshi.js").read_bytes())
    return tmp_path


@pytest.mark.parametrize(("when", "window", "expected"), TODAY_CASES)
def test_today_follows_the_working_day_calendar_and_its_coverage(
    pages, today_page: Path, when: str, window: str, expected: str
) -> None:
    page = pages(390, 844)
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=CHINA)
    page.clock.set_fixed_time(moment)
    with serving_directory(today_page) as url:
        page.goto(url)
        today = page.locator(f"#{window} .banshi-today")
        today.wait_for(state="visible")
        assert today.inner_text() == expected
