"""Any MkDocs-compatible engine: MkDocs 1.6 and ProperDocs build the generated folder unchanged
into the same pages and the same search results, and ``build.py build`` (which renders the
detail pages itself, in parallel) writes the same HTML as the plain engine."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from site_gen.builder import ENGINE_EXCLUDES, build_site
from site_gen.engines import ENGINES, build_with
from site_gen.pagefind import CHUNKS, chunk_map, executable, index_site, search_record
from site_gen.sources import GenerateOptions, generate
from tests.browser import launched_browser, require_chromium, serving_directory

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal_catalog"
QUERIES = ("营业执照", "食品经营", "个体工商户", "一业一证")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("engines")
    generated = generate(GenerateOptions(catalog=MINIMAL, build_dir=work / "build"))
    built = {}
    for engine in ENGINES:
        build_with(engine, generated.docs_dir, work / engine)
        index_site(work / engine, quiet=True)
        built[engine] = work / engine
    built["build.py"] = build_site(
        MINIMAL, work / "fast", build_dir=work / "fast-build", processes=2, quiet=True
    ).site_dir
    return built


def html_pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "pagefind" not in p.relative_to(site).parts
    }


def normalised(path: Path) -> str:
    """Page HTML without the engine's name and the whitespace between tags (raw HTML blocks
    are copied through verbatim by build.py, split onto lines by Python-Markdown)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<meta name="generator" content="[^"]*">', "", text)
    return re.sub(r">\s+<", "><", text).strip()


def test_both_engines_build_the_same_pages(sites: dict[str, Path]) -> None:
    pages = html_pages(sites["mkdocs"])
    assert "items/business-licence/index.html" in pages and "about/index.html" in pages
    assert html_pages(sites["properdocs"]) == pages
    assert html_pages(sites["build.py"]) == pages


def test_engines_differ_only_in_their_generator_tag(sites: dict[str, Path]) -> None:
    for page in sorted(html_pages(sites["mkdocs"])):
        assert normalised(sites["properdocs"] / page) == normalised(sites["mkdocs"] / page), page


def test_build_py_writes_the_html_the_engine_writes(sites: dict[str, Path]) -> None:
    for page in sorted(html_pages(sites["mkdocs"])):
        assert normalised(sites["build.py"] / page) == normalised(sites["mkdocs"] / page), page


def test_search_record_is_the_marked_content_of_the_page(sites: dict[str, Path]) -> None:
    html = (sites["mkdocs"] / "items/food-licence/index.html").read_text(encoding="utf-8")
    record = search_record(html)
    assert record is not None and record.startswith('<html lang="zh"')
    assert "data-pagefind-body" in record and "食品经营许可" in record
    assert 'class="md-nav' not in record  # the navigation is not sent to Pagefind
    home = (sites["mkdocs"] / "index.html").read_text(encoding="utf-8")
    assert search_record(home) is None


def test_the_chunk_map_names_each_index_chunk_and_its_words(sites: dict[str, Path]) -> None:
    """pagefind/chunks.json (read from Pagefind's metadata): every index chunk once, in word
    order, with its size; search.js picks the words to search from it."""
    output = sites["mkdocs"] / "pagefind"
    chunks = json.loads((output / CHUNKS).read_text(encoding="utf-8"))
    assert chunks == chunk_map(output)
    sizes = sorted(f.stat().st_size for f in (output / "index").glob("*.pf_index"))
    assert sorted(c["bytes"] for c in chunks) == sizes  # the sample index has 3 (test_site_search)
    words = [w for c in chunks for w in (c["from"], c["to"])]
    assert words == sorted(words)


SEARCH = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const found = {};
  for (const q of queries) {
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.map((r) => r.data()));
    found[q] = data.map((d) => [d.url, d.meta.title, d.excerpt]);
  }
  return found;
}"""


def search_results(browser: object, site: Path) -> dict[str, list[list[str]]]:
    with serving_directory(site) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(base + "about/")
        results = page.evaluate(SEARCH, list(QUERIES))
        page.close()
    return results


def test_same_search_results_from_either_engine_and_the_whole_page_index(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    sync_api = require_chromium()
    whole = tmp_path / "whole-pages"  # Pagefind's own CLI over the complete pages
    subprocess.run(
        [str(executable()), "--site", str(_copy(sites["mkdocs"], whole)), "--quiet"],
        check=True,
        capture_output=True,
    )
    found: dict[str, dict[str, list[list[str]]]] = {}

    def search_everywhere() -> None:  # own thread: another module's browser may be open here
        with launched_browser(sync_api) as browser:
            for name, site in [*sites.items(), ("cli", whole)]:
                found[name] = search_results(browser, site)

    worker = threading.Thread(target=search_everywhere)
    worker.start()
    worker.join()
    by_cli = found.pop("cli")
    by_engine = found
    expected = by_engine["mkdocs"]
    assert expected["营业执照"], "the query finds the business licence"
    assert any("/items/food-licence/" == r[0] for r in expected["食品经营"])
    for name, found in by_engine.items():
        assert found == expected, name
    assert by_cli == expected


def _copy(site: Path, target: Path) -> Path:
    shutil.copytree(site, target, ignore=shutil.ignore_patterns("pagefind"))
    return target


def test_worker_processes_write_the_same_pages(tmp_path: Path) -> None:
    from site_gen.builder import BuildOptions, build
    from site_gen.render import RenderJob, start_rendering

    build_dir = tmp_path / "build"
    build(BuildOptions(MINIMAL, tmp_path / "serial", build_dir=build_dir, search=False))
    details = sorted(
        p.relative_to(build_dir / "docs").as_posix()
        for section in ("items", "bundles", "departments", "themes", "windows")
        for p in (build_dir / "docs" / section).glob("*.md")
        if p.name != "index.md"
    )
    overrides = {
        "docs_dir": str(build_dir / "docs"),
        "site_dir": str(tmp_path / "engine"),
        "exclude_docs": "\n".join(ENGINE_EXCLUDES),
    }
    job = RenderJob(ROOT / "mkdocs.yml", overrides, tmp_path / "parallel", tuple(details))
    rendering = start_rendering(job, processes=2, serial_below=0)
    assert rendering.workers  # really in two worker processes
    assert rendering.join() == len(details)
    assert rendering.cpu_seconds > 0
    for src in details:
        page = src.removesuffix(".md") + "/index.html"
        assert normalised(tmp_path / "parallel" / page) == normalised(tmp_path / "serial" / page)


@pytest.mark.parametrize(
    "markdown",
    [
        '\n# 营业执照办理\n\n<div class="a"><p>x</p></div>\n\n## 申请材料 {#materials}\n\n'
        "<table><tr><td>1</td></tr></table>\n\n\n\n## 办理流程\n\n<ol><li>a</li></ol>\n\n"
        "### 第一步\n\n## 办理流程\n\n<p>end</p>\n",
        "# 标题\n\n## 受理条件 {#conditions}\n\n## 结尾",
    ],
)
def test_headings_only_pages_come_out_as_python_markdown_makes_them(markdown: str) -> None:
    import markdown as python_markdown

    from site_gen.render import headings_only, put_html_back, set_html_aside

    md = python_markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "attr_list"],
        extension_configs={"toc": {"permalink": False}},
    )
    text, stash = set_html_aside(markdown)
    expected = put_html_back(md.convert(text), stash)
    fast = headings_only(markdown)
    assert fast is not None
    html, tokens, title = fast
    assert html == expected
    assert tokens == md.toc_tokens  # type: ignore[attr-defined]
    assert title == "营业执照办理" if markdown.startswith("\n#") else title == "标题"


@pytest.mark.parametrize(
    "markdown", ["# 标题\n\n一段文字。", "## *强调* 标题", "# 标题\n<div></div>", "- 列表"]
)
def test_other_markdown_goes_through_python_markdown(markdown: str) -> None:
    from site_gen.render import headings_only

    assert headings_only(markdown) is None
