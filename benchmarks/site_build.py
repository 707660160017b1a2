"""Site build benchmark (issue 3): full build incl. Pagefind at 1,000 / 5,654 / 20,000 items.

Run from the repository root::

    python benchmarks/site_build.py [--sizes 1000 5654 20000] [--browser]

For each size it writes a synthetic catalog (``build.py synth``), then builds the site in a
fresh process and reports wall time (MkDocs and Pagefind separately), peak memory (the larger
of the Python process and the Pagefind process), site size, page count and item page sizes.
Baselines measured in the same run: a trivial one-page mkdocs-material site (machine speed)
and the shipped sample catalog. ``--all-published`` adds a worst case at 5,654 items in which
every item is published (one page per item). ``--browser`` measures, in Chromium, what a
first search transfers (scripts and index data, at gzip-compressed size).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def synth(items: int, out: Path) -> None:
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
    own, child = own_usage.ru_maxrss, child_usage.ru_maxrss
    cpu = sum(u.ru_utime + u.ru_stime for u in (own_usage, child_usage))
    return {
        "cpu": cpu,
        "seconds": result.seconds,
        "mkdocs": result.mkdocs_seconds,
        "pagefind": result.pagefind_seconds,
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
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    fetched: list[str] = []
    try:
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
    finally:
        server.shutdown()
    search_files = [u[len(base) :] for u in fetched if "/pagefind/" in u]
    total = 0
    for relative in search_files:
        data = (site / relative.split("?")[0]).read_bytes()
        total += len(gzip.compress(data, compresslevel=6))
    return {"requests": len(search_files), "gzip_kb": total / 1024}


def preview_latency(catalog: Path) -> dict[str, float]:
    """``serve --only``: seconds from saving an item's YAML until the served page shows it."""
    import urllib.request

    sys.path.insert(0, str(ROOT))
    from catalog import load_catalog
    from site_gen.serve import PreviewServer

    item = load_catalog(catalog).published_items()[0]
    path = catalog / "items" / f"{item.id}.yml"
    with tempfile.TemporaryDirectory() as instance:
        server = PreviewServer(catalog, port=0, only=item.id, instance_path=Path(instance))
        start = time.perf_counter()
        server.start()
        first = time.perf_counter() - start
        try:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(f"name: {item.name}", "name: 预览测试事项", 1), "utf-8")
            saved = time.perf_counter()
            url = server.url + f"items/{item.id}/"
            while "预览测试事项" not in urllib.request.urlopen(url).read().decode("utf-8"):
                if time.perf_counter() - saved > 60:
                    raise TimeoutError("the preview did not rebuild within 60 s")
                time.sleep(0.05)
            seen = time.perf_counter() - saved
        finally:
            server.stop()
            path.write_text(text, encoding="utf-8")
    return {"first_build": first, "rebuild_seen": seen}


def row(label: str, f: dict[str, float], base: dict[str, float]) -> str:
    return (
        f"| {label} | {f['pages']:,} | {f['seconds']:.1f} s | {f['mkdocs']:.1f} s | "
        f"{f['pagefind']:.1f} s | {f['cpu']:.1f} s | {f['cpu'] / base['cpu']:.0f}× | {f['peak_mb']:.0f} MB | "
        f"{f['bytes'] / 1e6:.1f} MB | {f['item_page_median_kb']:.1f} / {f['item_page_max_kb']:.1f} KB |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5654, 20000])
    parser.add_argument("--all-published", action="store_true")
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--preview", action="store_true", help="measure serve --only latency")
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
            synth(size, catalog)
            results[f"{size:,} items"] = build_in_fresh_process(catalog, work / f"site-{size}")
            print(f"built {size:,} items: {results[f'{size:,} items']}", flush=True)
        if args.all_published:
            catalog = work / "catalog-5654"
            if not catalog.exists():
                synth(5654, catalog)
            publish_all(catalog)
            results["5,654 items, all published"] = build_in_fresh_process(
                catalog, work / "site-all"
            )
        print()
        print(
            "| catalog | pages | full build (wall) | mkdocs | pagefind | CPU | CPU × trivial site "
            "| peak memory | site size | item page median / max |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for label, figures in results.items():
            print(row(label, figures, trivial))
        sized = [(s, results[f"{s:,} items"]) for s in args.sizes]
        for (a, fa), (b, fb) in zip(sized, sized[1:], strict=False):
            print(
                f"\ngrowth {a:,} → {b:,} items (×{b / a:.2f}): wall ×{fb['seconds'] / fa['seconds']:.2f}, "
                f"CPU ×{fb['cpu'] / fa['cpu']:.2f}, "
                f"memory ×{fb['peak_mb'] / fa['peak_mb']:.2f}, site ×{fb['bytes'] / fa['bytes']:.2f}, "
                f"pages ×{fb['pages'] / fa['pages']:.2f}"
            )
        if args.preview:
            size = 5654 if 5654 in args.sizes else args.sizes[0]
            latency = preview_latency(work / f"catalog-{size}")
            print(
                f"\nserve --only on the {size:,}-item catalog: first build {latency['first_build']:.1f} s, "
                f"page shows a saved change after {latency['rebuild_seen']:.1f} s"
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
