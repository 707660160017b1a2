"""Lighthouse and the Nu HTML Checker on the built sample guide.

    npm ci --prefix benchmarks/web        # Lighthouse 12.2.3 and vnu-jar (package.json pins them)
    python benchmarks/site_quality.py [--runs 3] [--pages home,item,bundle,search]

Builds the sample catalog as a static guide (``backend_url: false``: no backend runs here),
then serves it twice on free ports of 127.0.0.1 and runs Lighthouse (mobile, its default
emulation and simulated throttling) on home, item, bundle and search pages against both:

- ``nginx``: the server block documented in docs/site.md (gzip_static + brotli_static serving
  the build's pre-compressed files), started here with ``daemon off`` and stopped afterwards;
- ``plain``: Python's http.server without compression, the baseline in the same run.

Prints the median of ``--runs`` scores per page and category, and the performance ratio
nginx / plain. Then the Nu HTML Checker (vnu.jar, Java 17) over one page of every kind and
prints its errors, split into those in the project's own markup and those in markup it does
not write (Material's or Pagefind's).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_gen.builder import build_site  # noqa: E402

WEB = ROOT / "benchmarks" / "web" / "node_modules"
LIGHTHOUSE = WEB / "lighthouse" / "cli" / "index.js"
VNU = WEB / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "home": "",
    "item": "items/business-licence/",
    "bundle": "bundles/open-restaurant/",
    "search": "search/?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHECKED_PAGES = (
    "index.html",
    "items/business-licence/index.html",
    "items/company-establishment/index.html",
    "bundles/open-restaurant/index.html",
    "search/index.html",
    "stats/index.html",
    "themes/index.html",
    "departments/market/index.html",
    "windows/enterprise/index.html",
    "data/index.html",
    "about/index.html",
    "handbook/index.html",
    "404.html",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def documented_server_block() -> str:
    """The nginx server block from docs/site.md, exactly as documented."""
    text = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- nginx-server-block -->\s*```nginx\n(.*?)```\s*<!-- /nginx-server-block -->",
        text,
        re.S,
    )
    if block is None:
        raise SystemExit("docs/site.md has no nginx server block between its markers")
    return block.group(1)


@contextlib.contextmanager
def nginx(site: Path, work: Path) -> Iterator[str]:
    """The documented block on a free local port (no backend proxy: none runs here)."""
    port = free_port()
    block = documented_server_block()
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    block = re.sub(r"root [^;]+;", f"root {site};", block)
    block = re.sub(r"\n    # The forms backend.*?\n    }\n", "\n", block, flags=re.S)
    # Debian's module snippets use paths relative to nginx's prefix: read them, make them absolute.
    modules = "\n".join(
        p.read_text().replace("modules/", "/usr/lib/nginx/modules/")
        for p in sorted(Path("/etc/nginx/modules-enabled").glob("*brotli*"))
    )
    conf = work / "nginx.conf"
    conf.write_text(
        f"{modules}\nerror_log {work}/error.log;\npid {work}/nginx.pid;\n"
        "events { worker_connections 64; }\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;\n"
        f"client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};\n"
        f"uwsgi_temp_path {work}; scgi_temp_path {work};\n{block}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(["nginx", "-p", str(work), "-c", str(conf), "-g", "daemon off;"])
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def plain(site: Path) -> Iterator[str]:
    """Python's http.server: the same files, never compressed."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_port(port: int) -> None:
    for _ in range(200):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
            return
        subprocess.run(["sleep", "0.05"], check=False)
    raise SystemExit(f"nothing listens on port {port}")


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (mobile defaults); category scores 0–100."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100, 1) for c in CATEGORIES}


def failed_audits(report_path: Path) -> list[str]:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    failed = []
    for category in CATEGORIES[1:]:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{category}: {ref['id']}")
    return failed


def nu_checker(site: Path) -> list[dict]:
    paths = [str(site / p) for p in CHECKED_PAGES if (site / p).exists()]
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    return [
        m for m in json.loads(done.stderr or '{"messages": []}')["messages"] if m["type"] == "error"
    ]


OURS = re.compile(r"banshi|data-table|data-pagefind|data-banshi|md-skip banshi|<dl|<fieldset")
"""Markup only the project writes (its renderers and template blocks)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--servers", default="nginx,plain", help="nginx, plain or both")
    parser.add_argument("--reports", type=Path, help="keep the Lighthouse JSON reports here")
    args = parser.parse_args()
    for tool in (LIGHTHOUSE, VNU):
        if not tool.exists():
            raise SystemExit(f"{tool} is missing: run npm ci --prefix benchmarks/web")
    if shutil.which("nginx") is None:
        raise SystemExit(
            "nginx is missing: apt-get install nginx-light libnginx-mod-http-brotli-static"
        )
    with tempfile.TemporaryDirectory(prefix="banshi-quality-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's workers run as another user
        site = work / "site"
        build_site(ROOT / "catalog_yaml", site, quiet=True, backend_url=False)
        scores: dict[tuple[str, str], list[dict[str, float]]] = {}
        reports: dict[str, Path] = {}
        nginx_dir = work / "nginx"
        nginx_dir.mkdir()
        with nginx(site, nginx_dir) as compressed, plain(site) as uncompressed:
            for run in range(args.runs):
                servers = (("nginx", compressed), ("plain", uncompressed))
                for server, base in [s for s in servers if s[0] in args.servers.split(",")]:
                    for name in args.pages.split(","):
                        out = work / f"{server}-{name}-{run}.json"
                        scores.setdefault((server, name), []).append(
                            lighthouse(base + PAGES[name], out)
                        )
                        reports[f"{server}-{name}"] = out
                        if args.reports:
                            args.reports.mkdir(parents=True, exist_ok=True)
                            shutil.copy(out, args.reports / out.name)
        print(f"Lighthouse 12.2.3, mobile, median of {args.runs} runs (score 0-100)")
        print(f"{'page':8} {'server':6} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        for name in args.pages.split(","):
            for server in ("nginx", "plain"):
                if (server, name) not in scores:
                    continue
                runs = scores[(server, name)]
                medians = [statistics.median(r[c] for r in runs) for c in CATEGORIES]
                print(f"{name:8} {server:6} " + " ".join(f"{m:>15.1f}" for m in medians))
            if ("nginx", name) in scores and ("plain", name) in scores:
                ratio = statistics.median(
                    r["performance"] for r in scores[("nginx", name)]
                ) / max(1.0, statistics.median(r["performance"] for r in scores[("plain", name)]))
                print(f"{name:8} performance nginx / plain = {ratio:.2f}")
            if f"nginx-{name}" not in reports:
                continue
            for failed in failed_audits(reports[f"nginx-{name}"]):
                print(f"{name:8}   below 100: {failed}")
        errors = nu_checker(site)
        ours = [m for m in errors if OURS.search(m.get("extract", ""))]
        print(
            f"Nu HTML Checker on {len(CHECKED_PAGES)} pages: {len(errors)} errors, {len(ours)} in the project's own markup"
        )
        for m in errors:
            where = m["url"].split("/site/", 1)[-1]
            print(
                f"  {'OURS ' if m in ours else 'other'} {where}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()[:100]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
