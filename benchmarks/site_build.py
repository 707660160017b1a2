"""Site build benchmark (issues 3 and 16): full build incl. Pagefind at several catalog sizes.

Run from the repository root::

    python benchmarks/site_build.py [--sizes 5654 56540] [--all-published] [--hugo] [--preview] [--browser]

For each size it writes a synthetic catalog (``build.py synth``), then builds the site in a
fresh process and reports wall time (MkDocs and Pagefind separately), peak memory (the larger
of the Python process and the Pagefind process), site size, page count and item page sizes.
Baselines measured in the same run: a trivial one-page mkdocs-material site (machine speed)
and the shipped sample catalog. ``--all-published`` adds a worst case at 5,654 items in which
every item is published (one page per item); ``--hugo`` builds the same generated pages with
Hugo in the same run as the baseline. ``--preview`` measures ``serve``: first page and a saved
edit shown again. ``--browser`` measures, in Chromium, what a first search transfers (scripts
and index data, at gzip-compressed size).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def synth(items: int, out: Path, reuse: Path | None = None) -> None:
    """``build.py synth`` into ``out``, or a link to ``reuse/<out's name>`` written earlier."""
    if reuse is not None and (reuse / out.name).is_dir():
        out.symlink_to((reuse / out.name).resolve())
        return
    bundles = max(2, round(75 * items / 5654))
    subprocess.run(
        [
            PYTHON,
            "build.py",
            "synth",
            "--items",
            str(items),
            "--bundles",
            str(bundles),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def publish_all(catalog: Path) -> None:
    """Worst case: every item published, so every item gets a page."""
    for path in (catalog / "items").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^status: .*$", "status: 已发布", text, flags=re.M), "utf-8")


def measure_one(catalog: Path, site: Path) -> dict[str, float]:
    """Build in this process; print timings and peak memory (self and children) as JSON."""
    sys.path.insert(0, str(ROOT))
    from site_gen.builder import build_site

    result = build_site(catalog, site, quiet=True)
    own_usage = resource.getrusage(resource.RUSAGE_SELF)
    child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own, child = own_usage.ru_maxrss, max(child_usage.ru_maxrss, result.worker_peak_kb)
    cpu = sum(u.ru_utime + u.ru_stime for u in (own_usage, child_usage))
    cpu += result.worker_cpu_seconds  # forkserver workers are not our children
    return {
        "cpu": cpu,
        "seconds": result.seconds,
        "mkdocs": result.mkdocs_seconds,
        "pagefind": result.pagefind_seconds,
        "generate": result.generate_seconds,
        "render": result.render_seconds,
        "index": result.index_seconds,
        "compress": result.compress_seconds,
        "worker_cpu": result.worker_cpu_seconds,
        "self_cpu": own_usage.ru_utime + own_usage.ru_stime,
        "children_cpu": child_usage.ru_utime + child_usage.ru_stime,
        "pages": result.pages,
        "bytes": result.bytes,
        "peak_mb": max(own, child) / 1024,
    }


def trivial_site(directory: Path) -> dict[str, float]:
    """Baseline: a one-page mkdocs-material site, no hook, no search index (wall and CPU)."""
    (directory / "docs").mkdir(parents=True)
    (directory / "docs" / "index.md").write_text("# 你好\n\n一页。\n", encoding="utf-8")
    (directory / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins: []\n",
        encoding="utf-8",
    )
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(directory / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": time.perf_counter() - start, "cpu": cpu}


def build_in_fresh_process(catalog: Path, site: Path) -> dict[str, float]:
    done = subprocess.run(
        [PYTHON, __file__, "--one", str(catalog), str(site)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    item_pages = [p.stat().st_size for p in site.glob("items/*/index.html")]
    figures["item_page_max_kb"] = max(item_pages, default=0) / 1024
    figures["item_page_median_kb"] = statistics.median(item_pages) / 1024 if item_pages else 0
    figures["item_pages"] = len(item_pages)
    figures["pagefind_mb"] = (
        sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1e6
    )
    return figures


def first_search_transfer(site: Path, query: str = "营业执照") -> dict[str, float]:
    """Load the home page in Chromium, type a query in the header box, wait for results, and
    sum the gzip-compressed size of every search script and index file the browser fetched."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.browser import serving_directory

    fetched: list[str] = []
    with serving_directory(site) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(base)
            page.on("request", lambda r: fetched.append(r.url))
            page.fill("#banshi-header-q", query)
            page.wait_for_selector(".banshi-header-search__results a", timeout=20000)
            page.wait_for_load_state("networkidle")
            browser.close()
    search_files = [u[len(base) :] for u in fetched if "/pagefind/" in u]
    total = 0
    for relative in search_files:
        data = (site / relative.split("?")[0]).read_bytes()
        total += len(gzip.compress(data, compresslevel=6))
    return {"requests": len(search_files), "gzip_kb": total / 1024}


def preview_latency(catalog: Path, only: bool = True) -> dict[str, float]:
    """``serve`` (``--only`` the item, or the whole catalog): seconds until the first page is
    served, and from saving an item's YAML until the served page shows the change."""
    import urllib.request

    sys.path.insert(0, str(ROOT))
    from catalog import load_catalog
    from site_gen.serve import PreviewServer

    item = load_catalog(catalog).published_items()[0]
    path = catalog / "items" / f"{item.id}.yml"
    with tempfile.TemporaryDirectory() as instance:
        start = time.perf_counter()
        server = PreviewServer(
            catalog, port=0, only=item.id if only else None, instance_path=Path(instance)
        )
        server.start()
        url = server.url + f"items/{item.id}/"
        urllib.request.urlopen(url).read()
        first = time.perf_counter() - start
        try:
            server.wait_until_ready()  # backend and search index loaded: measure the edit alone
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(f"name: {item.name}", "name: 预览测试事项", 1), "utf-8")
            saved = time.perf_counter()
            while "预览测试事项" not in urllib.request.urlopen(url).read().decode("utf-8"):
                if time.perf_counter() - saved > 60:
                    raise TimeoutError("the preview did not rebuild within 60 s")
                time.sleep(0.02)
            seen = time.perf_counter() - saved
        finally:
            server.stop()
            path.write_text(text, encoding="utf-8")
    return {"first_page": first, "rebuild_seen": seen}


def hugo_baseline(docs: Path, work: Path) -> dict[str, float]:
    """Hugo (Debian's package) building the same Markdown pages (build folder), with a minimal
    layout that has a header, the section nav, the page's table of contents and its content."""
    site = work / "hugo"
    content = site / "content"
    pages = 0
    for source in docs.rglob("*.md"):
        relative = source.relative_to(docs)
        name = "_index.md" if relative.name == "index.md" else relative.name
        target = content / relative.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        pages += 1
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\nlanguageCode = "zh"\ntitle = "基线"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n",
        encoding="utf-8",
    )
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }} - '
        '{{ site.Title }}</title><meta name="description" content="{{ .Description }}"></head>'
        '<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header><nav><ul>'
        '{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        '{{ end }}</ul></nav><main>{{ block "main" . }}{{ end }}</main>'
        "<aside>{{ .TableOfContents }}</aside></body></html>",
        encoding="utf-8",
    )
    for name in ("single.html", "list.html"):
        (layouts / name).write_text('{{ define "main" }}{{ .Content }}{{ end }}', "utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["hugo", "--quiet", "-s", str(site)], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    written = sum(1 for _ in (site / "public").rglob("*.html"))
    return {"seconds": seconds, "cpu": cpu, "pages": written, "sources": pages}


def row(label: str, f: dict[str, float], base: dict[str, float]) -> str:
    return (
        f"| {label} | {f['pages']:,} | {f['seconds']:.1f} s | {f['generate']:.1f} s | "
        f"{f['render']:.1f} s | {f['index']:.1f} s | {f['compress']:.1f} s | "
        f"{f['cpu']:.1f} s ({f['self_cpu']:.1f} + {f['worker_cpu']:.1f} + {f['children_cpu']:.1f}) | "
        f"{f['cpu'] / base['cpu']:.0f}× | {f['peak_mb']:.0f} MB | "
        f"{f['bytes'] / 1e6:.1f} MB | {f['item_page_median_kb']:.1f} / {f['item_page_max_kb']:.1f} KB |"
    )


HEADER = (
    "| catalog | pages | full build (wall) | generate | detail pages ∥ engine | Pagefind | "
    "compression | CPU (build + workers + Pagefind) | CPU × trivial site | peak memory | "
    "site size | item page median / max |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5654, 20000])
    parser.add_argument("--all-published", action="store_true")
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--preview", action="store_true", help="measure serve latency")
    parser.add_argument(
        "--hugo", action="store_true", help="baseline: Hugo on the all-published pages"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        help="folder with catalogs synthesised by an earlier run (catalog-<size>, catalog-all)",
    )
    parser.add_argument("--one", nargs=2, metavar=("CATALOG", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(Path(args.one[0]), Path(args.one[1]))))
        return 0

    with tempfile.TemporaryDirectory(prefix="banshi-bench-") as tmp:
        work = Path(tmp)
        trivial = trivial_site(work / "trivial")
        print(
            f"baseline: trivial one-page mkdocs-material site {trivial['seconds']:.2f} s wall, "
            f"{trivial['cpu']:.2f} s CPU; load average {os.getloadavg()[0]:.1f}"
        )
        results: dict[str, dict[str, float]] = {}
        results["sample catalog"] = build_in_fresh_process(
            ROOT / "catalog_yaml", work / "site-sample"
        )
        for size in args.sizes:
            catalog = work / f"catalog-{size}"
            synth(size, catalog, args.reuse)
            results[f"{size:,} items"] = build_in_fresh_process(catalog, work / f"site-{size}")
            print(f"built {size:,} items: {results[f'{size:,} items']}", flush=True)
        hugo = None
        if args.all_published or args.hugo:
            catalog = work / "catalog-all"
            synth(5654, catalog, args.reuse)
            publish_all(catalog)
            all_published = build_in_fresh_process(catalog, work / "site-all")
            results["5,654 items, all published"] = all_published
            if args.hugo:
                hugo = hugo_baseline(work / "site-all-build" / "docs", work)
                print(
                    f"\nHugo baseline, same run: {hugo['pages']:.0f} pages from "
                    f"{hugo['sources']:.0f} sources in {hugo['seconds']:.1f} s wall, "
                    f"{hugo['cpu']:.1f} s CPU; all published build "
                    f"{all_published['seconds']:.1f} s wall ({all_published['seconds'] / hugo['seconds']:.1f}× Hugo), "
                    f"{all_published['cpu']:.1f} s CPU ({all_published['cpu'] / hugo['cpu']:.1f}× Hugo); "
                    f"load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        print()
        print(HEADER)
        for label, figures in results.items():
            print(row(label, figures, trivial))
        sized = [(s, results[f"{s:,} items"]) for s in args.sizes]
        for (a, fa), (b, fb) in zip(sized, sized[1:], strict=False):
            print(
                f"\ngrowth {a:,} → {b:,} items (×{b / a:.2f}): wall ×{fb['seconds'] / fa['seconds']:.2f}, "
                f"CPU ×{fb['cpu'] / fa['cpu']:.2f}, "
                f"memory ×{fb['peak_mb'] / fa['peak_mb']:.2f}, site ×{fb['bytes'] / fa['bytes']:.2f}, "
                f"pages ×{fb['pages'] / fa['pages']:.2f}; growth exponent (time ∝ items^k): "
                f"wall k = {math.log(fb['seconds'] / fa['seconds']) / math.log(b / a):.2f}, "
                f"CPU k = {math.log(fb['cpu'] / fa['cpu']) / math.log(b / a):.2f}"
            )
        if args.preview:
            sample = work / "catalog-sample"
            shutil.copytree(ROOT / "catalog_yaml", sample)
            size = 5654 if 5654 in args.sizes else args.sizes[0]
            runs = [
                ("serve --only, sample catalog", sample, True),
                (f"serve --only, {size:,} items", work / f"catalog-{size}", True),
                (f"serve (whole catalog), {size:,} items", work / f"catalog-{size}", False),
            ]
            if (work / "catalog-all").is_dir():
                runs.append(
                    ("serve (whole catalog), 5,654 all published", work / "catalog-all", False)
                )
            for label, catalog, only in runs:
                latency = preview_latency(catalog, only=only)
                print(
                    f"\n{label}: first page served after {latency['first_page']:.1f} s, "
                    f"a saved change shown after {latency['rebuild_seen']:.2f} s "
                    f"(load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        if args.browser:
            size = 5654 if 5654 in args.sizes else args.sizes[0]
            transfer = first_search_transfer(work / f"site-{size}")
            print(
                f"\nfirst search (营业执照) on the {size:,}-item site: {transfer['requests']:.0f} "
                f"requests, {transfer['gzip_kb']:.0f} KB gzip"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
