"""Page renderers are pure functions: golden files catch unintended changes.

The renderers read their own copy of the small catalog (tests/data/golden/site/catalog) so
changes to the shared test catalog never break these snapshots.

Regenerate the golden files after an intended change with::

    BANSHI_UPDATE_GOLDEN=1 python -m pytest tests/test_site_renderers.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from catalog import OnlineCapability, load_catalog
from site_gen.generate import downloads, pages
from site_gen.pages.bundle import render_bundle, savings_rows
from site_gen.pages.item import render_item
from site_gen.site import Site

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden" / "site"
UPDATE = os.environ.get("BANSHI_UPDATE_GOLDEN") == "1"
BUILT_ON = dt.date(2026, 12, 1)
"""A fixed build date: the pages' opening-day map starts on it."""


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.full(load_catalog(GOLDEN / "catalog"), today=BUILT_ON)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with BANSHI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; see the diff above"


@pytest.mark.parametrize("item_id", ["business-licence", "food-licence"])
def test_item_page_matches_golden(site: Site, item_id: str) -> None:
    item = site.catalog.items[item_id]
    check_golden(f"items/{item_id}.md", render_item(site, item, "../../"))


def test_bundle_page_matches_golden(site: Site) -> None:
    bundle = site.catalog.bundles["low-risk-food-business"]
    check_golden("bundles/low-risk-food-business.md", render_bundle(site, bundle, "../../"))


def test_home_page_matches_golden(site: Site) -> None:
    check_golden("index.md", dict(pages(site))["index"])


def test_item_actions_carry_the_item_id(site: Site) -> None:
    page = render_item(site, site.catalog.items["business-licence"], "../../")
    assert 'href="/apply/business-licence"' in page
    for kind in ("appointment", "after_hours", "assisted"):
        assert f'href="/bookings/new?item=business-licence&amp;kind={kind}"' in page


def test_after_hours_and_online_buttons_only_when_offered(site: Site) -> None:
    item = site.catalog.items["food-licence"]
    page = render_item(site, item, "../../")
    assert "kind=after_hours" not in page  # food-licence has no after-hours booking
    assert "kind=appointment" in page
    assert "/apply/food-licence" in page
    offline = item.model_copy(update={"online_depth": [OnlineCapability.CONSULT]})
    assert "/apply/food-licence" not in render_item(site, offline, "../../")


def test_backend_url_prefixes_every_action() -> None:
    catalog = load_catalog(GOLDEN / "catalog")
    site = Site.full(catalog, backend_url="https://forms.example.gov.cn/", today=BUILT_ON)
    page = render_item(site, catalog.items["business-licence"], "../../")
    assert 'href="https://forms.example.gov.cn/apply/business-licence"' in page
    assert (
        'data-next-slot="https://forms.example.gov.cn/api/items/business-licence/next-slot"' in page
    )


def test_item_page_carries_government_service_json_ld(site: Site) -> None:
    page = render_item(site, site.catalog.items["business-licence"], "../../")
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    data = json.loads(payload)
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "个体工商户设立登记"
    assert data["provider"]["name"] == "包头市青山区市场监督管理局"
    assert data["alternateName"] == ["办营业执照", "开个体户"]


def test_conditional_materials_say_when_they_are_needed(site: Site) -> None:
    page = render_item(site, site.catalog.items["business-licence"], "../../")
    row = re.search(
        r"<tr data-when='([^']*)'><td[^>]*></td><td><strong>委托书</strong>(.*?)</td>", page
    )
    assert row is not None
    assert json.loads(row.group(1).replace("&quot;", '"')) == [{"agent": ["yes"]}]
    assert "仅当“是否委托他人代办？”选“委托他人办理”时需要" in row.group(2)


def test_bundle_lists_a_shared_material_once_with_its_items(site: Site) -> None:
    page = render_bundle(site, site.catalog.bundles["low-risk-food-business"], "../../")
    assert page.count("<strong>经营者居民身份证</strong>") == 1
    assert "个体工商户设立登记、食品经营许可（低风险）" in page


def test_bundle_savings_are_before_and_after(site: Site) -> None:
    rows = dict(savings_rows(site, site.catalog.bundles["low-risk-food-business"]))
    # 4 + 4 steps → 4 default bundle steps; 5 + 3 materials, one shared → 7; 0 + 1 days → 1.
    assert rows["减环节"] == "8 个环节 → 4 个环节，减少 50%"
    assert rows["减材料"] == "8 份材料 → 7 份材料，减少 12%"
    assert rows["减时限"] == "1 个工作日 → 1 个工作日"
    assert rows["减跑动"] == "1 次 → 1 次"


def test_unpublished_items_get_no_page_and_no_link(site: Site) -> None:
    item = site.catalog.items["food-licence"]
    hidden = Site(
        catalog=site.catalog,
        item_ids=frozenset({"business-licence"}),
        bundle_ids=site.bundle_ids,
        department_ids=site.department_ids,
        theme_ids=site.theme_ids,
        window_ids=site.window_ids,
    )
    keys = dict(pages(hidden))
    assert "items/food-licence" not in keys
    assert "items/food-licence/" not in keys["bundles/low-risk-food-business"]
    assert item.name in keys["bundles/low-risk-food-business"]  # named, just not linked


def test_preview_site_holds_the_entry_and_its_neighbours(site: Site) -> None:
    preview = Site.around(site.catalog, "low-risk-food-business")
    keys = set(dict(pages(preview)))
    assert {
        "bundles/low-risk-food-business",
        "items/business-licence",
        "items/food-licence",
    } <= keys
    assert "departments/market" in keys and "windows/enterprise" in keys
    assert "departments/health" not in keys and "windows/social-affairs" not in keys


def test_preview_of_an_unknown_entry_is_refused(site: Site) -> None:
    with pytest.raises(KeyError):
        Site.around(site.catalog, "no-such-item")


def json_ld(page: str) -> dict:
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    return json.loads(payload)


def test_summary_box_answers_the_five_questions_before_anything_else(site: Site) -> None:
    page = render_item(site, site.catalog.items["business-licence"], "../../")
    box = page[page.index('<div class="banshi-summary">') : page.index("## 申请材料")]
    answers = re.findall(r"<dt>(.*?)</dt>", box.split("banshi-facts")[0])
    assert answers == ["要带什么", "去哪里办", "什么时间", "多久办好", "跑几次"]
    assert '<a href="#materials">' in box  # what to bring links down to the checklist
    assert "一楼 A 区 1–6 号窗口" in box and "青山路 1 号" in box  # where: window and address
    assert "工作日 09:00–12:00、13:30–17:00" in box  # when: the window's hours
    today = json.loads(
        re.search(r"data-banshi-today='([^']*)'", box).group(1).replace("&quot;", '"')
    )
    assert today["days"].startswith("2026-12-01:wwww")  # Tue 1 Dec 2026 is a working day
    assert today["days"][11 + 4 : 11 + 6] == "ss"  # Sat/Sun 5–6 Dec: weekend service
    assert today["w"] == ["09:00-12:00", "13:30-17:00"]


def test_bundle_summary_says_how_long_and_how_many_trips_after_merging(site: Site) -> None:
    page = render_bundle(site, site.catalog.bundles["low-risk-food-business"], "../../")
    box = page[page.index('<div class="banshi-summary">') : page.index("## 办一件事")]
    assert re.findall(r"<dt>(.*?)</dt>", box)[:5] == [
        "要带什么",
        "去哪里办",
        "什么时间",
        "多久办好",
        "跑几次",
    ]
    assert "7 项材料" in box and "多个事项共用的只交一次" in box
    assert "1 个工作日内全部办结" in box and "最多跑 1 次" in box


def test_without_a_backend_pages_offer_a_phone_instead_of_dead_links() -> None:
    catalog = load_catalog(GOLDEN / "catalog")
    offline = Site.full(catalog, backend_url=None, today=BUILT_ON)
    item = render_item(offline, catalog.items["business-licence"], "../../")
    assert "/apply/" not in item and "/bookings/" not in item
    assert "data-next-slot" not in item  # nothing asks a backend that is not there
    assert "网上申报和预约暂未开通，请拨打咨询电话" in item
    bundle = render_bundle(offline, catalog.bundles["low-risk-food-business"], "../../")
    assert "/apply/" not in bundle and "网上一表申报暂未开通" in bundle
    home = dict(pages(offline))["index"]
    assert "/bookings/lookup" not in home and "网上办事" not in home
    assert "/bookings/lookup" in dict(pages(site_with_backend(catalog)))["index"]


def site_with_backend(catalog) -> Site:  # type: ignore[no-untyped-def]
    return Site.full(catalog, today=BUILT_ON)


def test_header_services_are_the_home_page_services() -> None:
    from site_gen.services import SERVICES

    header = (Path(__file__).resolve().parent.parent / "overrides/partials/header.html").read_text(
        encoding="utf-8"
    )
    links = re.findall(r'<li><a href="\{\{ backend \}\}([^"]+)">([^<]+)</a></li>', header)
    assert links == [(path, name) for name, path, _ in SERVICES]


def test_item_json_ld_uses_service_output_hours_and_area(site: Site) -> None:
    settings = site.catalog.settings.model_copy(update={"site_url": "https://banshi.example.org/"})
    catalog = dataclasses.replace(site.catalog, settings=settings)
    data = json_ld(
        render_item(Site.full(catalog, today=BUILT_ON), catalog.items["business-licence"], "../../")
    )
    assert "produces" not in data
    assert data["serviceOutput"] == {"@type": "Thing", "name": "营业执照"}
    assert data["url"] == "https://banshi.example.org/items/business-licence/"
    assert data["areaServed"] == {"@type": "AdministrativeArea", "name": "包头市青山区"}
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "opens": "09:00:00",
        "closes": "12:00:00",
    } in data["hoursAvailable"]


def test_bundle_page_carries_government_service_json_ld(site: Site) -> None:
    bundle = site.catalog.bundles["low-risk-food-business"]
    data = json_ld(render_bundle(site, bundle, "../../"))
    assert data["@type"] == "GovernmentService" and data["name"] == bundle.name
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert [o["name"] for o in data["serviceOutput"]] == [
        "食品经营行业综合许可证",
        "营业执照",
        "食品经营许可证",
    ]
    assert data["availableChannel"]["serviceLocation"]["address"]
    assert data["hoursAvailable"] and data["areaServed"]["name"] == "包头市青山区"
    assert "url" not in data  # no settings.site_url in this catalog: no made-up address


def test_blank_forms_are_download_links_with_type_and_size(site: Site) -> None:
    page = render_item(site, site.catalog.items["business-licence"], "../../")
    link = re.search(
        r'<a class="banshi-download" href="([^"]+)" download>下载空白表格<span[^>]*>（PDF，(\d+) KB）',
        page,
    )
    assert link is not None
    assert (
        link.group(1)
        == "../../files/%E4%B8%AA%E4%BD%93%E5%B7%A5%E5%95%86%E6%88%B7%E7%99%BB%E8%AE%B0%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf"
    )
    files = dict(downloads(site))
    assert "files/个体工商户登记申请书.pdf" in files
    assert files["files/个体工商户登记申请书.pdf"].startswith(b"%PDF")


def test_bundle_asks_a_sub_item_question_only_when_that_sub_item_applies() -> None:
    catalog = load_catalog(ROOT / "catalog_yaml")
    site = Site.full(catalog, today=BUILT_ON)
    page = render_bundle(site, catalog.bundles["open-restaurant"], "../../")
    fieldsets = dict(
        (legend, json.loads(needed.replace("&quot;", '"')) if needed else None)
        for needed, legend in re.findall(
            r"<fieldset(?: data-needed-when='([^']*)')?(?: hidden)?><legend>(.*?)</legend>", page
        )
    )
    assert fieldsets["以什么形式经营？"] is None  # the bundle's own question: always asked
    assert fieldsets["股东中是否有企业法人？"] == [{"entity": ["company"]}]  # not for 个体工商户
    # Before any answer only the first question is shown (as banshi.js would leave it).
    assert re.findall(r"<fieldset[^>]*>", page)[0] == "<fieldset>"
    assert all(f.endswith(" hidden>") for f in re.findall(r"<fieldset[^>]*>", page)[1:])


def test_statistics_show_no_internal_workflow_states(site: Site) -> None:
    page = dict(pages(site))["stats/index"]
    for label in ("未认领", "已认领", "已编制", "按事项状态"):
        assert label not in page
    assert "有办事指南的事项" in page


def test_a_missing_blank_form_is_named_without_a_dead_link(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(GOLDEN / "catalog", tmp_path / "catalog")
    (tmp_path / "catalog" / "files" / "个体工商户登记申请书.pdf").unlink()
    catalog = load_catalog(tmp_path / "catalog")
    page = render_item(
        Site.full(catalog, today=BUILT_ON), catalog.items["business-licence"], "../../"
    )
    assert "banshi-download" not in page
    assert '<span class="banshi-note">空白表格：个体工商户登记申请书.pdf</span>' in page


def test_opening_day_map_marks_days_beyond_the_holiday_calendar() -> None:
    """今天开放吗 is never claimed for a day of a year whose holidays are not recorded: those days
    are ``u`` (Monday to Friday) or ``v`` (weekend), for which the page gives the usual hours
    and says the holiday arrangements are to be confirmed."""
    from catalog.settings import CalendarDay, CalendarOverrides, ConfirmedYear
    from catalog.workdays import official_calendar_covers

    catalog = load_catalog(GOLDEN / "catalog")
    assert not official_calendar_covers(2027)  # else this test needs a later year
    days = Site.full(catalog, today=BUILT_ON).opening_days.split(":")[1]
    assert len(days) == 120 and "u" not in days[:31] and "v" not in days[:31]  # December 2026
    assert set(days[31:]) == {"u", "v"} and days[31] == "u"  # 1 Jan 2027 is a Friday
    confirmed = dataclasses.replace(
        catalog,
        calendar_overrides=CalendarOverrides(
            holidays=[CalendarDay(date=dt.date(2027, 1, 1), name="元旦")],
            confirmed_years=[ConfirmedYear(year=2027, notice="国务院办公厅通知")],
        ),
    )
    days = Site.full(confirmed, today=BUILT_ON).opening_days.split(":")[1]
    assert len(days) == 120
    assert days[31] == "c"  # 1 Jan 2027, a Friday, is the recorded 元旦 holiday
