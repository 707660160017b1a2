"""Page renderers are pure functions: golden files catch unintended changes.

The renderers read their own copy of the small catalog (tests/data/golden/site/catalog) so
changes to the shared test catalog never break these snapshots.

Regenerate the golden files after an intended change with::

    BANSHI_UPDATE_GOLDEN=1 python -m pytest tests/test_site_renderers.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from catalog import OnlineCapability, load_catalog
from site_gen.generate import pages
from site_gen.pages.bundle import render_bundle, savings_rows
from site_gen.pages.item import render_item
from site_gen.site import Site

GOLDEN = Path(__file__).resolve().parent / "data" / "golden" / "site"
UPDATE = os.environ.get("BANSHI_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.full(load_catalog(GOLDEN / "catalog"))


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
    site = Site.full(catalog, backend_url="https://forms.example.gov.cn/")
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
