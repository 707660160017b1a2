"""Search quality and weight (issue 14): the public query set in Chromium, and the bytes a first
search fetches.

Run from the repository root::

    python benchmarks/search_quality.py [--compare-binary PATH] [--synth 5654]

1. Builds the sample site (``catalog_yaml/``) with the pinned Pagefind (1.4.0 extended) and runs
   every query of ``tests/search_queries.yaml`` twice: through the site's search (search.js:
   segmentation, synonyms, filler, alias re-ranking) and, as the baseline, through Pagefind's
   own API with the query as typed. Prints top-1 / top-3 / no-result per query set.
2. ``--compare-binary`` re-indexes a copy of the same built site with another Pagefind binary
   (e.g. 1.6.0 extended from npm) and runs both modes again: nothing else changes.
3. Bytes fetched for a first search typed into the header box (search.js, words.json, Pagefind's
   scripts, WebAssembly, index and fragments), at gzip size, on the sample site and on a
   ``build.py synth`` catalog (default 5,654 items; ``--all-published`` publishes every item)
   given the sample catalog's ``search.yml`` (without its ``popular`` ids). ``--all-queries``
   measures every query of the query set on the synth site (one fresh browser context each)
   and prints each and their distribution; ``--baseline REV`` builds the same synth catalog
   with the site code of git revision ``REV`` (its own pages, index and search.js) and measures
   it the same way in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_gen.builder import build_site  # noqa: E402
from site_gen.pagefind import executable  # noqa: E402
from tests.browser import ARGS, CHROMIUM, serving_directory  # noqa: E402
from tests.search_eval import load_queries, rates, run_queries  # noqa: E402

FIRST_QUERIES = ("营业执照", "办居住证", "老人去世")
"""A compound word, an everyday phrase, and the query set's widest synonym fan-out."""


def reindex(site: Path, binary: Path, out: Path) -> Path:
    """A copy of ``site`` whose Pagefind index comes from ``binary``."""
    shutil.copytree(site, out)
    shutil.rmtree(out / "pagefind")
    subprocess.run(
        [str(binary), "--site", str(out), "--output-subdir", "pagefind", "--quiet"],
        check=True,
        capture_output=True,
    )
    return out


def version(binary: Path) -> str:
    done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def quality(site: Path) -> dict[tuple[str, str], dict[str, float]]:
    """{(mode, set): rates} for both modes and every query set."""
    from playwright.sync_api import sync_playwright

    sets = load_queries()
    figures = {}
    with serving_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(base + "about/")
        for mode in ("site search", "Pagefind alone"):
            for name, queries in sets.items():
                outcomes = run_queries(page, queries, raw=mode == "Pagefind alone")
                figures[(mode, name)] = rates(outcomes)
        browser.close()
    return figures


def gzip_size(data: bytes) -> int:
    """Pagefind's index files are gzipped already; everything else is measured gzipped."""
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, compresslevel=6))


def brotli_size(path: Path) -> int:
    """What a browser accepting brotli gets: Pagefind's gzipped files as they are, the rest as
    the build's pre-compressed ``.br`` next to it (nginx ``brotli_static``)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return len(data)
    br = path.with_name(path.name + ".br")
    return br.stat().st_size if br.exists() else len(brotli.compress(data, quality=11))


def kind(url: str) -> str:
    """What a fetched search file is, for the per-query breakdown."""
    for prefix, name in (("pagefind/index/", "index chunks"), ("pagefind/fragment/", "fragments")):
        if url.startswith(prefix):
            return name
    if url.startswith("pagefind/filter/"):
        return "filters"
    if url.startswith("pagefind/wasm."):
        return "WebAssembly"
    if url.endswith((".pf_meta", "pagefind-entry.json", "chunks.json")):
        return "metadata"
    return "scripts, words.json" if url.endswith(".js") or url.startswith("search/") else url


LAST: dict[str, dict[str, float]] = {}
"""Per query of the last ``first_search_bytes`` calls: KB gzip by kind, and ``brotli``."""


def first_search_bytes(site: Path, query: str) -> tuple[int, float]:
    """(requests, KB gzip) of the search files fetched from typing into the header box until
    the first results (or the no-results help) are shown; the breakdown goes to ``LAST``."""
    from playwright.sync_api import sync_playwright

    fetched: list[str] = []
    with serving_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.on("request", lambda r: fetched.append(r.url[len(base) :].split("?")[0]))
        page.fill("#banshi-header-q", query)
        page.locator(
            "#banshi-header-results [role=option], #banshi-header-results .banshi-search-empty"
        ).first.wait_for(timeout=60000)
        page.wait_for_load_state("networkidle")
        browser.close()
    search = [
        u for u in fetched if u.startswith(("pagefind/", "search/")) or u.endswith("search.js")
    ]
    parts: dict[str, float] = {}
    for url in search:
        parts[kind(url)] = parts.get(kind(url), 0) + gzip_size((site / url).read_bytes()) / 1024
    parts["brotli"] = sum(brotli_size(site / u) for u in search) / 1024
    LAST[query] = parts
    return len(search), sum(v for k, v in parts.items() if k != "brotli")


def synth_site(items: int, out: Path, all_published: bool) -> Path:
    catalog = out / "catalog"
    bundles = max(2, round(75 * items / 5654))
    subprocess.run(
        [sys.executable, "build.py", "synth", "--items", str(items), "--bundles", str(bundles),
         "--out", str(catalog)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    # The editors' search words of the sample catalog (its popular ids do not exist in synth).
    words = (ROOT / "catalog_yaml" / "search.yml").read_text(encoding="utf-8")
    (catalog / "search.yml").write_text(re.sub(r"^popular:.*$", "", words, flags=re.M), "utf-8")
    if all_published:
        for path in (catalog / "items").glob("*.yml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^status: .*$", "status: 已发布", text, flags=re.M), "utf-8")
    site = out / "site"
    build_site(catalog, site, quiet=True)
    return site


def revision_synth(revision: str, items: int, out: Path) -> Path:
    """The synth site built by the code of git ``revision`` (exported, run with this venv)."""
    source = out / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    script = source / "build_synth.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, '.')\n"
        "from benchmarks.search_quality import synth_site\n"
        f"if __name__ == '__main__':\n    synth_site({items}, Path({str(out / 'synth')!r}), False)\n",
        encoding="utf-8",
    )
    subprocess.run([sys.executable, str(script)], cwd=source, check=True, capture_output=True)
    return out / "synth" / "site"


def print_bytes(label: str, site: Path, queries: list[str]) -> None:
    """Each query's first-search KB, then the distribution and how many stay within 150 KB."""
    figures = {q: first_search_bytes(site, q)[1] for q in queries}
    print(f"  {label}:")
    for query, kb in figures.items():
        print(f"    {kb:6.0f} KB  {query}")
    values = sorted(figures.values())
    print(
        f"    {len(values)} queries: median {statistics.median(values):.0f} KB, 90th percentile "
        f"{values[int(0.9 * (len(values) - 1))]:.0f} KB, max {values[-1]:.0f} KB, "
        f"≤ 150 KB: {sum(v <= 150 for v in values)}"
    )
    kinds = sorted({k for q in queries for k in LAST[q]} - {"brotli"})
    print(
        "    mean KB per query: "
        + ", ".join(f"{k} {statistics.mean(LAST[q].get(k, 0) for q in queries):.1f}" for k in kinds)
    )
    br = sorted(LAST[q]["brotli"] for q in queries)
    print(f"    with brotli: median {statistics.median(br):.0f} KB, max {br[-1]:.0f} KB")


def print_quality(label: str, figures: dict[tuple[str, str], dict[str, float]]) -> None:
    for (mode, name), r in figures.items():
        print(
            f"  {label:<16} {mode:<15} {name:<9} {r['n']:>3} queries: first {r['first']:6.1%}  "
            f"top 3 {r['top3']:6.1%}  no result {r['empty']:>2}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare-binary", type=Path, help="another Pagefind (extended) binary")
    parser.add_argument("--synth", type=int, default=5654, help="items in the synthetic catalog")
    parser.add_argument("--all-published", action="store_true", help="publish every synth item")
    parser.add_argument("--no-synth", action="store_true", help="skip the synthetic catalog")
    parser.add_argument("--bytes-only", action="store_true", help="skip the query set")
    parser.add_argument(
        "--all-queries", action="store_true", help="bytes of every query set query (synth)"
    )
    parser.add_argument("--baseline", metavar="REV", help="also the synth site of git REV")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="banshi-search-") as tmp:
        work = Path(tmp)
        site = work / "sample"
        build_site(ROOT / "catalog_yaml", site, quiet=True)
        sites = {version(executable()): site}
        if args.compare_binary:
            sites[version(args.compare_binary)] = reindex(site, args.compare_binary, work / "other")
        if not args.bytes_only:
            print("Query set tests/search_queries.yaml on the sample catalog (Chromium):")
            for label, path in sites.items():
                print_quality(label, quality(path))
        print("Bytes fetched for a first search typed into the header box (gzip):")
        if not args.no_synth:
            synth = synth_site(args.synth, work / "synth", args.all_published)
            pages = len(list((synth / "items").glob("*/index.html")))
            sites[f"synth {args.synth} items ({pages} item pages)"] = synth
        if args.all_queries and not args.no_synth:
            queries = [q.text for qs in load_queries().values() for q in qs]
            if args.baseline:
                old = revision_synth(args.baseline, args.synth, work / "baseline")
                print_bytes(f"synth at {args.baseline}", old, queries)
            print_bytes("synth, this revision", synth, queries)
            return
        for label, path in sites.items():
            figures = [(q, *first_search_bytes(path, q)) for q in FIRST_QUERIES]
            print(
                f"  {label}: " + "; ".join(f"{q} {n} requests {kb:.0f} KB" for q, n, kb in figures)
            )
        script = ROOT / "docs" / "assets" / "banshi" / "search.js"
        print(
            f"  (search.js itself, loaded with every page: {gzip_size(script.read_bytes()) / 1024:.1f} KB)"
        )


if __name__ == "__main__":
    main()
