"""Index a built site for search with Pagefind (extended build: Chinese word segmentation).

Engine-independent: the index is made from the HTML files in the output folder, whatever
wrote them. Only pages that mark their content with ``data-pagefind-body`` are search
results, so only those are sent, and each as its ``<html>`` tag and the marked element
alone (through Pagefind's Python API): Pagefind indexes exactly what it would index in the
whole page, without parsing the header, navigation and footer of every page again, which
took about half of its time.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pagefind_bin_extended
from pagefind.index import IndexConfig, PagefindIndex

BODY = re.compile(r"<(\w+)\b[^>]*\sdata-pagefind-body[\s>=]")
HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
BATCH = 64
"""Pages in flight to the Pagefind service at once."""


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its output."""


def executable() -> Path:
    """The extended Pagefind binary shipped by the pinned ``pagefind[extended]`` wheel."""
    return pagefind_bin_extended.get_executable()


def search_record(html: str) -> str | None:
    """The part of a page Pagefind indexes, as a small HTML document; None when the page
    is not a search result (no ``data-pagefind-body``)."""
    body = BODY.search(html)
    if body is None:
        return None
    tag = body.group(1)
    opening = re.compile(rf"<{tag}\b", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    depth, position = 0, body.start()
    while True:
        next_close = closing.search(html, position)
        if next_close is None:
            end = len(html)
            break
        next_open = opening.search(html, position, next_close.start())
        if next_open is not None:
            depth += 1
            position = next_open.end()
            continue
        depth -= 1
        position = next_close.end()
        if depth == 0:
            end = position
            break
    html_tag = HTML_TAG.search(html)
    return f"{html_tag.group(0) if html_tag else '<html>'}<body>{html[body.start() : end]}</body></html>"


def page_url(site_dir: Path, path: Path) -> str:
    """``items/x/index.html`` → ``/items/x/`` (Pagefind's own URL for the file)."""
    relative = path.relative_to(site_dir).as_posix()
    return "/" + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)


def _records(site_dir: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site_dir.rglob("*.html")):
        if path.parts[len(site_dir.parts)] == "pagefind":
            continue
        record = search_record(path.read_text(encoding="utf-8"))
        if record is not None:
            yield page_url(site_dir, path), record


async def _index(site_dir: Path, output: Path) -> int:
    config = IndexConfig(output_path=str(output))
    count = 0
    async with PagefindIndex(config=config) as index:
        pending: list[asyncio.Future[object]] = []
        for url, record in _records(site_dir):
            pending.append(asyncio.ensure_future(index.add_html_file(content=record, url=url)))
            count += 1
            if len(pending) >= BATCH:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
        await index.write_files(output_path=str(output))
    return count


def _in_own_thread(site_dir: Path, output: Path) -> int:
    """Run the indexing coroutine on an event loop of its own (the caller may be inside one,
    e.g. Playwright's sync API in a test)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["count"] = asyncio.run(_index(site_dir, output))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="pagefind-index")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return int(outcome["count"])


def index_site(site_dir: Path, *, quiet: bool = False) -> int:
    """Write ``<site_dir>/pagefind/`` (index, filters, UI assets: all local, no CDN) and return
    the number of pages indexed. The new index replaces the old one only when complete."""
    site_dir = Path(site_dir).resolve()
    target = site_dir / "pagefind"
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        count = _in_own_thread(site_dir, fresh)
    except Exception as exc:  # the service reports failures as exceptions of its own
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not index {site_dir}: {exc}") from exc
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return count
