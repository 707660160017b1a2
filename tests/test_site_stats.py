"""Statistics and open data are recomputed from the catalog."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from catalog import Status, load_catalog
from catalog.synth import run_synth
from site_gen.pages.opendata import bundles_json, items_csv, items_json
from site_gen.pages.stats import render_stats
from site_gen.site import Site
from site_gen.stats import compute

GOLDEN_CATALOG = Path(__file__).resolve().parent / "data" / "golden" / "site" / "catalog"


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.full(load_catalog(GOLDEN_CATALOG))


def test_counts_follow_the_catalog(site: Site) -> None:
    stats = compute(site.catalog)
    assert stats.items == 2
    assert stats.by_kind == {"公共服务": 0, "依申请": 2, "依职权": 0}
    assert stats.published == 2 and stats.claimed == 2
    assert (stats.bundles, stats.sub_items, stats.industry_licences) == (1, 2, 1)


def test_compression_averages_promised_against_legal_limits(site: Site) -> None:
    # business-licence: 0 of 3 days (100 % compressed); food-licence: 1 of 10 (90 %).
    assert compute(site.catalog).compression_percent == 95.0


def test_trips_immediate_and_depth_shares(site: Site) -> None:
    stats = compute(site.catalog)
    assert stats.at_most_one_trip_percent == 100.0  # 0 and 1 visits
    assert stats.immediate_percent == 50.0  # business-licence is 即办件
    assert stats.depth_levels == {"全程网办": 1, "部分网办": 1, "仅网上咨询": 0, "不能网办": 0}


def test_unpublishing_an_item_changes_the_published_count(site: Site) -> None:
    catalog = site.catalog
    item = catalog.items["food-licence"].model_copy(update={"status": Status.CLAIMED})
    changed = type(catalog)(**{**vars(catalog), "items": {**catalog.items, item.id: item}})
    stats = compute(changed)
    assert (stats.claimed, stats.published) == (2, 1)


def test_stats_page_has_accessible_charts_with_tables(site: Site) -> None:
    page = render_stats(site, "../")
    assert (
        page.count('<svg class="banshi-chart" role="img"') == 5
    )  # kind, type, department, depth, capability
    assert page.count("<table>") == 5
    assert '<title id="chart-kind-t">按事项类别</title>' in page
    assert "95.0%" in page


def test_csv_has_one_row_per_published_item_and_a_bom(site: Site) -> None:
    text = items_csv(site)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["标识"] for r in rows] == ["business-licence", "food-licence"]
    assert rows[0]["日常用语"] == "办营业执照、开个体户"
    assert rows[1]["承诺办结时限（工作日）"] == "1"


def test_json_downloads_carry_full_guides_and_savings(site: Site) -> None:
    items = json.loads(items_json(site))["items"]
    assert items[0]["materials"][3]["when"] == {"agent": ["yes"]}
    bundles = json.loads(bundles_json(site))["bundles"]
    assert bundles[0]["savings"]["materials"] == {"before": 8, "after": 7}


def test_headline_counts_equal_the_generator_at_full_size(tmp_path: Path) -> None:
    """On the synthetic 5,654-item catalog: 90 / 512 / 5,052; 75 / 167; 502 / 428."""
    code = run_synth(
        tmp_path / "synth",
        items=5654,
        bundles=75,
        seed=1,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert code == 0
    synthetic = Site.full(load_catalog(tmp_path / "synth"))
    stats = compute(synthetic.catalog)
    assert stats.by_kind == {"公共服务": 90, "依申请": 512, "依职权": 5052}
    assert (stats.bundles, stats.sub_items) == (75, 167)
    assert (stats.claimed, stats.published) == (502, 428)
    page = render_stats(synthetic, "../")
    assert "公共服务 90，依申请 512，依职权 5,052" in page
    assert "有办事指南的事项</dt><dd>428 项" in page
    assert "75 件" in page and "167 个子项" in page
