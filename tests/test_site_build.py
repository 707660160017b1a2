"""Building the whole site from a catalog: strict MkDocs build, local assets only, search index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_gen.builder import BuildResult, SiteBuildError, build_site

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal_catalog"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_site(MINIMAL, tmp_path_factory.mktemp("site"), strict=True, quiet=True)


def test_strict_build_writes_a_page_per_published_entry(built: BuildResult) -> None:
    site = built.site_dir
    for page in (
        "index.html",
        "items/business-licence/index.html",
        "items/food-licence/index.html",
        "bundles/low-risk-food-business/index.html",
        "departments/market/index.html",
        "themes/start-business/index.html",
        "windows/enterprise/index.html",
        "search/index.html",
        "stats/index.html",
        "data/index.html",
        "data/items.csv",
        "data/items.json",
        "data/bundles.json",
    ):
        assert (site / page).is_file(), page


def test_pages_are_chinese_and_use_no_web_font(built: BuildResult) -> None:
    html = (built.site_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_no_asset_is_loaded_from_another_host(built: BuildResult) -> None:
    asset = re.compile(
        r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I
    )
    css_url = re.compile(r"url\(['\"]?(https?:)?//", re.I)
    offenders = []
    for path in built.site_dir.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            if asset.search(text) or css_url.search(text):
                offenders.append(str(path.relative_to(built.site_dir)))
    assert offenders == []


def test_item_pages_stay_out_of_the_navigation(built: BuildResult) -> None:
    html = (built.site_dir / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "一件事一次办" in nav
    assert "items/" not in nav


def test_search_index_and_ui_are_local(built: BuildResult) -> None:
    bundle = built.site_dir / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert '"zh' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    assert list((bundle / "fragment").iterdir())


def test_item_page_is_marked_for_search_with_filters(built: BuildResult) -> None:
    html = (built.site_dir / "items/business-licence/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in html
    for name, value in (
        ("部门", "区市场监管局"),
        ("事项类别", "依申请"),
        ("服务对象", "个人"),
        ("网办深度", "全程网办"),
    ):
        assert f'<span data-pagefind-filter="{name}:{value}"></span>' in html
    assert "办营业执照" in html  # aliases are indexed
    home = (built.site_dir / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home  # only items and bundles are search results


def test_every_page_has_the_header_search_and_elder_toggle(built: BuildResult) -> None:
    for page in ("index.html", "items/food-licence/index.html", "about/index.html"):
        html = (built.site_dir / page).read_text(encoding="utf-8")
        assert "data-banshi-search" in html and "data-banshi-elder" in html, page


def test_broken_catalog_stops_the_build_with_the_problem(catalog_dir: Path, tmp_path: Path) -> None:
    item = catalog_dir / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("kind: 依申请", "kind: 依申清"), "utf-8"
    )
    with pytest.raises(SiteBuildError) as raised:
        build_site(catalog_dir, tmp_path / "site", quiet=True)
    (message,) = raised.value.messages
    assert "网站没有生成" in message
    assert "food-licence.yml:" in message
    assert "依申清" in message  # says what arrived


def test_every_text_file_has_its_precompressed_copies(built: BuildResult) -> None:
    import gzip

    import brotli

    from site_gen.compress import TEXT_SUFFIXES

    site = built.site_dir
    text_files = [p for p in site.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()]
    assert any(p.match("items/*/index.html") for p in text_files)  # worker-written pages
    assert any(p.match("assets/**/*.js") for p in text_files)  # the engine's assets
    assert (site / "pagefind" / "pagefind.js") in text_files  # written after Pagefind
    for path in text_files:
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) > 1000:  # tiny files may not get smaller
            assert gz.is_file() and br.is_file(), path
        if gz.is_file():
            assert gzip.decompress(gz.read_bytes()) == data, gz
        if br.is_file():
            assert brotli.decompress(br.read_bytes()) == data, br


def test_an_edited_file_gets_fresh_copies(tmp_path: Path) -> None:
    import brotli

    from site_gen.compress import compress_site

    page = tmp_path / "items" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>旧的内容</p>" * 200, encoding="utf-8")
    first = compress_site(tmp_path)
    assert (first.files, first.skipped) == (1, 0)
    assert compress_site(tmp_path).skipped == 1  # up to date: not compressed again
    page.write_text("<p>新的内容</p>" * 200, encoding="utf-8")
    assert compress_site(tmp_path).skipped == 0
    assert brotli.decompress(page.with_name("index.html.br").read_bytes()) == page.read_bytes()
