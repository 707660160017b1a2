"""Pre-compressed copies of the built site's text files: ``page.html.gz`` and ``page.html.br``
next to ``page.html``, for nginx's ``gzip_static`` and ``brotli_static`` (docs/site.md has the
server block). Served without compression the guide loses most of its mobile speed.

Written once per build, so the server spends no CPU per request. Brotli at its best (11) for
the shared assets every page loads (``assets/``, Pagefind's scripts), at 5 for everything else
(pages, open data: 11 costs 70× the time for 13 % less on thousands of pages, 6 costs 15 % more
than 5 for 0.4 %); gzip at 6 (9 costs 70 % more for the same size to 0.1 %). A copy that would
not be smaller than the file is not written; gzip carries no name or timestamp, so an unchanged
page gives an identical ``.gz``.

The render workers compress the detail pages as they write them (:func:`write_compressed`, on
every core); :func:`compress_site` then does the rest and skips every file whose copies are
already up to date.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import brotli

TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".csv", ".webmanifest"}
)
"""Text assets worth compressing (Pagefind's index fragments are already compressed)."""
SHARED = frozenset({"assets", "pagefind"})
"""Top-level folders of files that every page loads."""
SHARED_QUALITY = 11
PAGE_QUALITY = 5
GZIP_LEVEL = 6
SUFFIXES = (".gz", ".br")


@dataclass(frozen=True)
class Compressed:
    files: int
    """Text files found."""
    original: int
    gzip: int
    brotli: int
    """Total bytes: the files as they are, and the best copy of each the server can send."""
    skipped: int = 0
    """Files whose copies were already up to date (written by a render worker)."""


def write_compressed(
    path: Path, data: bytes, *, shared: bool = False, cache: Path | None = None
) -> tuple[int, int]:
    """Write ``path.gz`` and ``path.br`` for ``data`` (the bytes of ``path``); bytes sent.

    ``cache``: a folder keeping the brotli copies of shared files by content hash (the theme's
    and Pagefind's scripts are the same from build to build; brotli 11 is the slow part).
    """
    packed_gzip = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if shared:
        packed_brotli = _cached_brotli(data, cache)
    else:
        packed_brotli = brotli.compress(data, quality=PAGE_QUALITY)
    return (
        _write(path.with_name(path.name + ".gz"), data, packed_gzip),
        _write(path.with_name(path.name + ".br"), data, packed_brotli),
    )


def compress_site(site_dir: Path, *, cache: Path | None = None) -> Compressed:
    """Write ``.gz`` and ``.br`` next to every text file of ``site_dir`` whose copies are
    missing or older than the file; return the totals. ``cache``: see :func:`write_compressed`."""
    site_dir = Path(site_dir)
    files = original = gzip_total = brotli_total = skipped = 0
    for folder, subfolders, names in os.walk(site_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        present = set(names)
        for name in names:
            if os.path.splitext(name)[1] not in TEXT_SUFFIXES:
                continue
            path = Path(folder, name)
            files += 1
            current = _current_copies(path, present)
            if current is not None:
                skipped += 1
                original += current[0]
                gzip_total += current[1]
                brotli_total += current[2]
                continue
            data = path.read_bytes()
            original += len(data)
            shared = path.relative_to(site_dir).parts[0] in SHARED
            sent_gzip, sent_brotli = write_compressed(path, data, shared=shared, cache=cache)
            gzip_total += sent_gzip
            brotli_total += sent_brotli
    return Compressed(files, original, gzip_total, brotli_total, skipped)


def _current_copies(path: Path, present: set[str]) -> tuple[int, int, int] | None:
    """Sizes of the file and its two copies when both exist and are not older than it."""
    if not all(path.name + suffix in present for suffix in SUFFIXES):
        return None
    stat = path.stat()
    sizes = [stat.st_size]
    for suffix in SUFFIXES:
        copy = path.with_name(path.name + suffix).stat()
        if copy.st_mtime_ns < stat.st_mtime_ns:
            return None
        sizes.append(copy.st_size)
    return sizes[0], sizes[1], sizes[2]


def _cached_brotli(data: bytes, cache: Path | None) -> bytes:
    if cache is None:
        return brotli.compress(data, quality=SHARED_QUALITY)
    kept = cache / f"{hashlib.sha256(data).hexdigest()}.br"
    try:
        return kept.read_bytes()
    except FileNotFoundError:
        packed = brotli.compress(data, quality=SHARED_QUALITY)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        tmp.write_bytes(packed)
        tmp.replace(kept)
        return packed


def _write(target: Path, data: bytes, packed: bytes) -> int:
    """Write ``packed`` unless it saves nothing (then remove a stale copy); bytes sent."""
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)
        return len(data)
    target.write_bytes(packed)
    return len(packed)
