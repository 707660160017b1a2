"""``build.py generate``: the catalog as plain source files in a build folder, written
incrementally, and an incremental site build on top of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from site_gen.builder import ENGINE_EXCLUDES, build_site
from site_gen.sources import DETAIL_SECTIONS, GenerateOptions, generate, read_pages

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "data" / "minimal_catalog"


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(MINIMAL, target)
    return target


def test_generate_writes_every_page_and_the_theme_data(catalog: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    result = generate(GenerateOptions(catalog=catalog, build_dir=build))
    docs = build / "docs"
    for source in (
        "index.md",
        "items/business-licence.md",
        "bundles/low-risk-food-business.md",
        "themes/index.md",
        "data/items.json",
        "about.md",  # hand-written pages are copied next to the generated ones
        "assets/banshi/banshi.css",
    ):
        assert (docs / source).is_file(), source
    data = json.loads((build / "site.json").read_text(encoding="utf-8"))
    nav = {entry["src"]: entry["title"] for entry in data["nav"]}
    assert nav["bundles/index.md"] and "items/business-licence.md" not in nav
    pages = {p.key: p for p in read_pages(build)}
    item = pages["items/business-licence"]
    assert item.title == "个体工商户设立登记" and item.url == "items/business-licence/"
    assert item.detail and not item.in_nav
    assert pages["themes/index"].in_nav and not pages["themes/index"].detail
    assert len(result.pages) == len(data["pages"]) == len(pages)


def test_generate_reads_its_options_not_the_environment(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANSHI_CATALOG", str(tmp_path / "nowhere"))
    monkeypatch.setenv("BANSHI_ONLY", "no-such-entry")
    result = generate(GenerateOptions(catalog=catalog, build_dir=tmp_path / "build"))
    assert "items/food-licence.md" in {p.src for p in result.pages}


def test_second_run_writes_nothing_and_keeps_every_file_time(catalog: Path, tmp_path: Path) -> None:
    options = GenerateOptions(catalog=catalog, build_dir=tmp_path / "build")
    first = generate(options)
    before = mtimes(first.docs_dir)
    again = generate(options)
    assert again.written == [] and again.removed == []
    assert again.unchanged == len(before)
    assert mtimes(first.docs_dir) == before


def test_one_item_edit_rewrites_only_the_pages_that_show_it(catalog: Path, tmp_path: Path) -> None:
    options = GenerateOptions(catalog=catalog, build_dir=tmp_path / "build")
    generate(options)
    item = catalog / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("promised_days: 1,", "promised_days: 8,"), "utf-8"
    )
    result = generate(options)
    assert "items/food-licence.md" in result.written
    assert "items/business-licence.md" not in result.written
    assert "about.md" not in result.written
    assert "8 个工作日" in (result.docs_dir / "items/food-licence.md").read_text("utf-8")


def test_vanished_entry_loses_its_source_and_its_page(catalog: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build = tmp_path / "build"
    build_site(catalog, site, build_dir=build, search=False, quiet=True)
    assert (site / "items/food-licence/index.html").is_file()
    bundle = catalog / "bundles" / "low-risk-food-business.yml"
    bundle.unlink()  # the bundle names the item: remove both
    (catalog / "items" / "food-licence.yml").unlink()
    build_site(catalog, site, build_dir=build, search=False, incremental=True, quiet=True)
    assert not (build / "docs/items/food-licence.md").exists()
    assert not (site / "items/food-licence/index.html").exists()
    assert not (site / "bundles/low-risk-food-business/index.html").exists()
    assert (site / "items/business-licence/index.html").is_file()
    html = (site / "items/business-licence/index.html").read_text(encoding="utf-8")
    assert "low-risk-food-business" not in html  # the item page no longer links the bundle


def test_incremental_build_renders_only_the_changed_pages(catalog: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build = tmp_path / "build"
    build_site(catalog, site, build_dir=build, search=False, quiet=True)
    before = mtimes(site)
    item = catalog / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("promised_days: 1,", "promised_days: 8,"), "utf-8"
    )
    result = build_site(catalog, site, build_dir=build, search=False, incremental=True, quiet=True)
    after = mtimes(site)
    changed = {path for path in after if after[path] != before.get(path)}
    assert "items/food-licence/index.html" in changed
    assert "items/business-licence/index.html" not in changed
    assert "about/index.html" not in changed  # the engine did not run again
    assert result.rendered == len([p for p in result.written if p.endswith(".md")])
    assert "8 个工作日" in (site / "items/food-licence/index.html").read_text("utf-8")


def test_detail_pages_stay_out_of_the_nav_in_mkdocs_yml_too() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert "hooks" not in config and not config.get("plugins")
    assert config["docs_dir"] == "build/docs"
    patterns = set(config["not_in_nav"].split())
    detail = {p for p in ENGINE_EXCLUDES if p.lstrip("!/").split("/")[0] in DETAIL_SECTIONS}
    assert len(detail) == 2 * len(DETAIL_SECTIONS) and detail <= patterns
