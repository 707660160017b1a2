"""``build.py generate``: the catalog → the site's source folder, written incrementally.

The build folder holds everything a MkDocs-compatible engine needs, with nothing
catalog-specific left to do at build time::

    <build>/docs/       docs_dir: the hand-written docs (copied) + every generated page (.md)
                        + the open data files
    <build>/site.json   the data the theme and the builder need: nav sections, page metadata
                        (key, source, URL, title, in the nav or a detail page, searchable) and
                        the content hash of every file in docs/

Files are written only when their content hash changed, and files of entries that vanished
are removed, so a one-item edit rewrites a handful of files and keeps every other file's
modification time (engines and watchers see exactly what changed).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog import Catalog, load_catalog

from .generate import NAV_PAGES, downloads, pages
from .reform import reform_report
from .site import Site
from .urls import src_uri

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MANIFEST = "site.json"

DETAIL_SECTIONS = ("items", "bundles", "departments", "themes", "windows")
"""Folders of the one-page-per-entry pages. They stay out of the navigation (mkdocs-material
copies the whole nav into every page) and the builder renders them itself, in parallel."""

_TITLE = re.compile(r'^title: "((?:[^"\\]|\\.)*)"$', re.M)


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate, and where."""

    catalog: Path
    """The catalog directory (``catalog_yaml/``)."""
    build_dir: Path = ROOT / "build"
    """The build folder; its ``docs/`` is the engine's ``docs_dir``."""
    docs: Path = DOCS
    """The hand-written pages and the site's own CSS/JS, copied into ``<build>/docs/``."""
    only: str | None = None
    """An item or bundle id: generate the small preview site around that entry only."""
    backend_url: str | None = ""
    """Base URL of the forms backend ("" = the same origin as the site)."""


@dataclass(frozen=True)
class PageInfo:
    """One generated page, as the theme and the builder see it."""

    key: str
    """``items/<id>``, ``themes/index``, ``index`` ..."""
    src: str
    """Source file in docs_dir, e.g. ``items/<id>.md``."""
    url: str
    """Directory URL, e.g. ``items/<id>/`` ("" for the home page)."""
    title: str
    in_nav: bool
    detail: bool
    """A one-page-per-entry page (rendered by :mod:`site_gen.render`, out of the nav)."""


@dataclass
class Generated:
    """What a run of :func:`generate` wrote."""

    docs_dir: Path
    pages: list[PageInfo]
    written: list[str] = field(default_factory=list)
    """docs_dir-relative paths whose content changed (new files included)."""
    removed: list[str] = field(default_factory=list)
    """docs_dir-relative paths of files that no longer exist (vanished entries)."""
    downloads: list[str] = field(default_factory=list)
    """docs_dir-relative paths of the generated files that are not pages (open data)."""
    unchanged: int = 0
    seconds: float = 0.0
    catalog: Catalog | None = None

    def detail_pages(self) -> list[PageInfo]:
        return [p for p in self.pages if p.detail]


def is_detail(key: str) -> bool:
    """``items/x`` is a detail page, ``items/index`` or ``index`` is not."""
    section, _, rest = key.partition("/")
    return section in DETAIL_SECTIONS and bool(rest) and rest != "index"


def page_url(key: str) -> str:
    """The directory URL of a page key (``index`` → "", ``themes/index`` → ``themes/``)."""
    if key == "index":
        return ""
    return key.removesuffix("index") if key.endswith("/index") else f"{key}/"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def site_for(catalog: Catalog, options: GenerateOptions) -> Site:
    """The :class:`Site` the options ask for; ``KeyError`` when ``only`` names no entry."""
    if options.only:
        return Site.around(catalog, options.only, options.backend_url)
    return Site.full(catalog, options.backend_url, reform=reform_report(catalog))


def generate(options: GenerateOptions, catalog: Catalog | None = None) -> Generated:
    """Write the build folder for ``options``; pass ``catalog`` when it is already loaded.

    Raises :class:`~catalog.CatalogError` for a broken catalog and ``KeyError`` when
    ``options.only`` names no item or bundle.
    """
    start = time.perf_counter()
    if catalog is None:
        catalog = load_catalog(options.catalog)
    site = site_for(catalog, options)
    docs_dir = options.build_dir / "docs"
    manifest_path = options.build_dir / MANIFEST
    previous = _read_manifest(manifest_path)
    result = Generated(docs_dir=docs_dir, pages=[], catalog=catalog)
    hashes: dict[str, str] = {}

    def put(relative: str, data: bytes) -> None:
        if relative in hashes:  # a generated page replaces a hand-written one of the same path
            result.unchanged -= 1
        hashes[relative] = hashed = digest(data)
        target = docs_dir / relative
        if previous.get(relative) == hashed and target.is_file():
            result.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.written.append(relative)

    for path in _hand_written(options.docs):
        put(path.relative_to(options.docs).as_posix(), path.read_bytes())
    for key, source in pages(site):
        put(src_uri(key), source.encode("utf-8"))
        title = _TITLE.search(source)
        result.pages.append(
            PageInfo(
                key=key,
                src=src_uri(key),
                url=page_url(key),
                title=json.loads(f'"{title.group(1)}"') if title else "",
                in_nav=key in NAV_PAGES,
                detail=is_detail(key),
            )
        )
    for relative, content in downloads(site):
        put(relative, content if isinstance(content, bytes) else content.encode("utf-8"))
        result.downloads.append(relative)
    for relative in sorted(set(previous) - set(hashes)):
        (docs_dir / relative).unlink(missing_ok=True)
        result.removed.append(relative)
    _prune_empty_dirs(docs_dir, result.removed)
    _write_manifest(manifest_path, result.pages, hashes)
    result.seconds = time.perf_counter() - start
    return result


def _hand_written(docs: Path) -> Iterable[Path]:
    return sorted(p for p in docs.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data["hashes"].items()}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}  # no (or an unreadable) earlier run: every file is written


def _write_manifest(path: Path, infos: list[PageInfo], hashes: dict[str, str]) -> None:
    nav = [{"title": p.title, "url": p.url, "src": p.src} for p in infos if p.in_nav]
    data = {
        "nav": nav,
        "pages": [p.__dict__ for p in infos],
        "hashes": dict(sorted(hashes.items())),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def read_pages(build_dir: Path) -> list[PageInfo]:
    """The page metadata of the last :func:`generate` run into ``build_dir``."""
    data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    return [PageInfo(**p) for p in data["pages"]]


def _prune_empty_dirs(root: Path, removed: list[str]) -> None:
    for parent in sorted({(root / r).parent for r in removed}, key=lambda p: -len(p.parts)):
        if parent != root and parent.is_dir() and not any(parent.iterdir()):
            shutil.rmtree(parent, ignore_errors=True)
