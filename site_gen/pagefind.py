"""Index a built site for search with Pagefind (extended build: Chinese word segmentation).

Engine-independent: the index is made from the HTML files in the output folder, whatever
wrote them. Only pages that mark their content with ``data-pagefind-body`` are search
results, so only those are sent, and each as its ``<html>`` tag and the marked element
alone, written to a scratch folder at the page's path for Pagefind's CLI: Pagefind indexes
exactly what it would index in the whole page, without parsing the header, navigation and
footer of every page again, which took about half of its time. (Pagefind's Python API would
avoid the scratch files, but its client waits 0.1 s before reading each response: ten
minutes for 5,800 pages.)
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import cbor2
import pagefind_bin_extended

BODY = re.compile(r"<(\w+)\b[^>]*\sdata-pagefind-body[\s>=]")
IGNORED = re.compile(r"<(\w+)\b[^>]*\sdata-pagefind-ignore[\s>=]")
HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)


CHUNKS = "chunks.json"
"""Written next to Pagefind's files: which index chunk holds which words (search.js)."""


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its output."""


def executable() -> Path:
    """The extended Pagefind binary shipped by the pinned ``pagefind[extended]`` wheel."""
    return pagefind_bin_extended.get_executable()


def element_end(html: str, tag: str, start: int) -> int:
    """End of the ``tag`` element that opens at ``start`` (nested ``tag`` elements counted),
    or the end of ``html`` when it is not closed."""
    opening = re.compile(rf"<{tag}\b", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    depth, position = 0, start
    while True:
        next_close = closing.search(html, position)
        if next_close is None:
            return len(html)
        next_open = opening.search(html, position, next_close.start())
        if next_open is not None:
            depth += 1
            position = next_open.end()
            continue
        depth -= 1
        position = next_close.end()
        if depth == 0:
            return position


def without_ignored(html: str) -> str:
    """``html`` without the elements Pagefind leaves out (``data-pagefind-ignore``)."""
    parts, position = [], 0
    while (found := IGNORED.search(html, position)) is not None:
        parts.append(html[position : found.start()])
        position = element_end(html, found.group(1), found.start())
    parts.append(html[position:])
    return "".join(parts)


def search_record(html: str) -> str | None:
    """The part of a page Pagefind indexes, as a small HTML document; None when the page
    is not a search result (no ``data-pagefind-body``)."""
    body = BODY.search(html)
    if body is None:
        return None
    end = element_end(html, body.group(1), body.start())
    html_tag = HTML_TAG.search(html)
    return f"{html_tag.group(0) if html_tag else '<html>'}<body>{html[body.start() : end]}</body></html>"


def write_records(site_dir: Path, folder: Path, pages: list[Path] | None = None) -> int:
    """Each search result's record as a file at its page's path under ``folder``: of every
    page in ``site_dir``, or of the ``site_dir``-relative ``pages`` given."""
    if pages is None:
        pages = [
            path.relative_to(site_dir)
            for path in sorted(site_dir.rglob("*.html"))
            if not path.relative_to(site_dir).parts[0].startswith(".")
        ]
    count = 0
    for relative in pages:
        if relative.parts[0] == "pagefind":
            continue
        try:
            html = (site_dir / relative).read_text(encoding="utf-8")
        except FileNotFoundError:  # removed by a rebuild running next to this index
            continue
        record = search_record(html)
        if record is None:
            continue
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record, encoding="utf-8")
        count += 1
    return count


def chunk_map(output: Path) -> list[dict[str, Any]]:
    """The index chunks of the Pagefind output in ``output``, in order: first and last word
    (Pagefind's ``from``/``to`` prefixes) and gzip size in bytes. From its metadata file
    (gzip, a ``pagefind_dcd`` signature, then CBOR: version, pages, chunks as from/to/hash)."""
    chunks = []
    for meta in sorted(output.glob("*.pf_meta")):
        data = gzip.decompress(meta.read_bytes())
        signature = b"pagefind_dcd"
        if not data.startswith(signature):
            raise SearchIndexError(f"{meta}: not a Pagefind metadata file")
        index = cbor2.loads(data[len(signature) :])
        for start, end, digest in index[2]:
            size = (output / "index" / f"{digest}.pf_index").stat().st_size
            chunks.append({"from": start, "to": end, "bytes": size})
    return chunks


def index_site(site_dir: Path, *, quiet: bool = False, records: Path | None = None) -> int:
    """Write ``<site_dir>/pagefind/`` (index, filters, UI assets: all local, no CDN; and
    ``chunks.json``, the chunk map) and return the number of pages indexed. The new index replaces the old one only when complete.

    ``records``: a folder that already holds the record of every search result page (the
    builder's render workers write them as they write the pages); otherwise the records are
    read from the pages in ``site_dir``.
    """
    site_dir = Path(site_dir).resolve()
    target = site_dir / "pagefind"
    fresh = site_dir / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=".pagefind-records-", dir=site_dir.parent) as tmp:
        if records is None:
            count = write_records(site_dir, Path(tmp))
            folder = tmp
        else:
            count = sum(1 for _ in Path(records).rglob("*.html"))
            folder = str(records)
        command = [str(executable()), "--site", folder, "--output-path", str(fresh)]
        if quiet:
            command.append("--quiet")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(
            f"Pagefind could not index {site_dir} (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    (fresh / CHUNKS).write_text(
        json.dumps(chunk_map(fresh), ensure_ascii=False, separators=(",", ":")), "utf-8"
    )
    old = site_dir / ".pagefind-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return count
