"""Pre-compressed copies of the built site's text files: ``page.html.gz`` and ``page.html.br``
next to ``page.html``, for nginx's ``gzip_static`` and ``brotli_static`` (docs/site.md has the
server block). Served without compression the guide loses most of its mobile speed.

Written once per build, so the server spends no CPU per request: gzip at level 9; brotli at
its best (11) for the shared assets every page loads (``assets/``, Pagefind's scripts) and at 6
for the pages (11 costs 5× the time for a few percent on thousands of pages). A copy that would
not be smaller than the file is not written; gzip carries no name or timestamp, so an unchanged
page gives an identical ``.gz``.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import brotli

TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".csv", ".webmanifest"}
)
"""Text assets worth compressing (Pagefind's index fragments are already compressed)."""
SHARED = frozenset({"assets", "pagefind"})
"""Top-level folders of files that every page loads."""


@dataclass(frozen=True)
class Compressed:
    files: int
    """Text files found."""
    original: int
    gzip: int
    brotli: int
    """Total bytes: the files as they are, and the best copy of each the server can send."""


def compress_site(site_dir: Path) -> Compressed:
    """Write ``.gz`` and ``.br`` next to every text file of ``site_dir``; return the totals."""
    files = original = gzip_total = brotli_total = 0
    for path in sorted(Path(site_dir).rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        files += 1
        original += len(data)
        gzip_total += _write(path.with_name(path.name + ".gz"), data, _gzip(data))
        shared = path.relative_to(site_dir).parts[0] in SHARED
        packed = brotli.compress(data, quality=11 if shared else 6)
        brotli_total += _write(path.with_name(path.name + ".br"), data, packed)
    return Compressed(files, original, gzip_total, brotli_total)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _write(target: Path, data: bytes, packed: bytes) -> int:
    """Write ``packed`` unless it saves nothing (then remove a stale copy); bytes sent."""
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)
        return len(data)
    if not target.exists() or target.read_bytes() != packed:
        target.write_bytes(packed)
    return len(packed)
