"""Build the site: generate the build folder, let the engine build the hand-written docs and
the section pages while worker processes render the detail pages, then index for search.

Nothing reaches the engine through environment variables or module globals: the
:class:`BuildOptions` become ``load_config`` overrides and :class:`~site_gen.sources.GenerateOptions`.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils import yaml_load

from catalog import Catalog, CatalogError

from .compress import compress_site
from .pagefind import index_site, write_records
from .render import RenderJob, start_rendering
from .sources import DETAIL_SECTIONS, Generated, GenerateOptions, generate

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"
ENGINE_EXCLUDES = [".*", "/templates/"] + [
    pattern for section in DETAIL_SECTIONS for pattern in (f"/{section}/*", f"!/{section}/index.md")
]
"""``exclude_docs`` for the engine's part of the build: MkDocs' defaults plus the detail
pages, which :mod:`site_gen.render` renders."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build, from where, into where."""

    catalog: Path
    site_dir: Path = Path("site")
    build_dir: Path | None = None
    """The generated sources (``build.py generate``) and the engine's scratch output;
    default: ``<site_dir>-build`` next to the site."""
    strict: bool = False
    """Fail on any MkDocs warning."""
    only: str | None = None
    """Preview: the small site around one item or bundle."""
    search: bool = True
    """Write the Pagefind index."""
    backend_url: str | Literal[False] | None = None
    """Base URL of the forms backend; None = ``extra.backend_url`` in mkdocs.yml; False = no
    backend (a static guide: no booking buttons, service links or backend requests)."""
    incremental: bool = False
    """Keep ``site_dir`` and re-render only pages whose source changed (``serve``)."""
    compress: bool = True
    """Write ``.gz`` and ``.br`` next to every text file (``site_gen/compress.py``)."""
    processes: int | None = None
    """Worker processes for the detail pages (default: one per core)."""
    config_file: Path = CONFIG_FILE
    docs: Path = ROOT / "docs"

    @property
    def sources_dir(self) -> Path:
        site = Path(self.site_dir)
        return Path(self.build_dir) if self.build_dir else site.parent / f"{site.name}-build"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    """HTML pages in the site."""
    seconds: float
    mkdocs_seconds: float
    """Generating, the engine and the detail pages (everything before the search index)."""
    pagefind_seconds: float
    bytes: int
    """Total size of the site directory."""
    generate_seconds: float = 0.0
    rendered: int = 0
    """Detail pages rendered in this build."""
    written: list[str] = field(default_factory=list)
    """Sources that changed in this build."""
    worker_cpu_seconds: float = 0.0
    """CPU time of the render worker processes (not counted in this process's children)."""
    worker_peak_kb: int = 0
    render_seconds: float = 0.0
    """From starting the workers until the last detail page was written (the engine ran
    meanwhile)."""
    index_seconds: float = 0.0
    """Pagefind."""
    compress_seconds: float = 0.0
    """``.gz``/``.br`` of the engine's output (while the workers render) and of Pagefind's
    files; the workers' own compression is in ``render_seconds``."""


class SiteBuildError(Exception):
    """The site was not built; ``messages`` are the problems (Chinese, one per entry)."""

    def __init__(self, messages: list[str], *, logged: bool = False) -> None:
        super().__init__("\n".join(messages) or "网站没有生成。")
        self.messages = messages
        self.logged = logged
        """True when the engine has already logged each message (print them only once)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def catalog_problem(path: Path, exc: CatalogError) -> str:
    """The one message for a catalog that cannot be built: every problem, each on a line."""
    listed = "\n".join(f"  {problem.format()}" for problem in exc.problems)
    return (
        f"目录 {path} 有 {len(exc.problems)} 个问题，网站没有生成。请先修改下列问题"
        f"（也可以运行 python build.py check 查看）：\n{listed}"
    )


def unknown_entry(path: Path, entry_id: str) -> str:
    return (
        f"目录 {path} 里没有标识为“{entry_id}”的事项或一件事（items/{entry_id}.yml 或 "
        f"bundles/{entry_id}.yml）。请检查 --only 后面的标识（即文件名，不含 .yml）。"
    )


def generate_sources(
    options: BuildOptions, catalog: Catalog | None = None, backend_url: str | None = ""
) -> Generated:
    """``build.py generate``: the build folder only; SiteBuildError when the catalog is broken."""
    try:
        return generate(
            GenerateOptions(
                catalog=Path(options.catalog),
                build_dir=options.sources_dir,
                docs=options.docs,
                only=options.only,
                backend_url=backend_url,
            ),
            catalog,
        )
    except CatalogError as exc:
        raise SiteBuildError([catalog_problem(Path(options.catalog), exc)]) from None
    except KeyError:
        raise SiteBuildError([unknown_entry(Path(options.catalog), options.only or "")]) from None


def configured_extra(options: BuildOptions) -> dict[str, object]:
    """mkdocs.yml's ``extra``, with ``options.backend_url`` when given."""
    with open(options.config_file, encoding="utf-8") as handle:
        extra = dict((yaml_load(handle) or {}).get("extra") or {})
    if options.backend_url is not None:
        extra["backend_url"] = options.backend_url
    configured = extra.get("backend_url", "")
    extra["backend_url"] = False if configured is False else str(configured or "").rstrip("/")
    return extra


def build_site(
    catalog: Path, site_dir: Path, *, quiet: bool = False, **options: Any
) -> BuildResult:
    """Shorthand for :func:`build` with ``BuildOptions(catalog, site_dir, **options)``."""
    return build(BuildOptions(Path(catalog), Path(site_dir), **options), quiet=quiet)


def build(
    options: BuildOptions, *, catalog: Catalog | None = None, quiet: bool = False
) -> BuildResult:
    """Build the static site for ``options``; pass ``catalog`` when it is already loaded.

    Raises :class:`SiteBuildError` with the problems when the catalog is broken or, with
    ``strict``, when MkDocs warned; :class:`~site_gen.pagefind.SearchIndexError` when indexing
    fails.
    """
    start = time.perf_counter()
    extra = configured_extra(options)
    backend = extra["backend_url"]
    generated = generate_sources(options, catalog, None if backend is False else str(backend))
    generated_at = time.perf_counter()
    site_dir = Path(options.site_dir)
    engine_dir = options.sources_dir / "engine"
    overrides: dict[str, object] = {
        "docs_dir": str(generated.docs_dir),
        "site_dir": str(engine_dir),
        "strict": options.strict,
        "exclude_docs": "\n".join(ENGINE_EXCLUDES),
        "extra": extra,
    }
    fresh = not options.incremental or not site_dir.is_dir()
    if fresh and site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    page_sources = {p.src for p in generated.pages}
    if fresh:
        to_render = [p.src for p in generated.detail_pages()]
    else:  # every generated page that changed; open data files are copied as they are
        to_render = [path for path in generated.written if path in page_sources]
        for path in generated.written:
            if path in generated.downloads:
                _copy(generated.docs_dir / path, site_dir / path)
    _remove_vanished(site_dir, generated.removed)
    # A fresh build's workers write each result page's search record as they write the page;
    # an incremental one reads the records from the pages afterwards.
    records = options.sources_dir / "records" if options.search and fresh else None
    if records is not None:
        shutil.rmtree(records, ignore_errors=True)
        records.mkdir(parents=True)
    job = RenderJob(
        options.config_file,
        overrides,
        site_dir,
        tuple(to_render),
        compress=options.compress,
        records_dir=records,
        template_cache=options.sources_dir / "templates",
    )
    render_start = time.perf_counter()
    rendering = start_rendering(job, processes=options.processes)
    generated_files = page_sources | set(generated.downloads)
    compress_seconds = 0.0
    engine_needed = fresh or any(  # a hand-written page or asset changed
        path not in generated_files for path in generated.written + generated.removed
    )
    try:
        if engine_needed:  # while the workers render the detail pages
            _run_engine(options, overrides, quiet)
            if options.compress:
                compressing = time.perf_counter()
                compress_site(engine_dir, cache=options.sources_dir / "compressed")
                compress_seconds += time.perf_counter() - compressing
            if records is not None:
                write_records(engine_dir, records)
            _sync(engine_dir, site_dir)
    finally:
        rendered = rendering.join()
    built = time.perf_counter()
    if options.search:
        index_site(site_dir, quiet=quiet, records=records)
    indexed = time.perf_counter()
    if options.compress:  # Pagefind's scripts and what an incremental build copied
        compress_site(site_dir, cache=options.sources_dir / "compressed")
    done = time.perf_counter()
    files = _site_files(site_dir)
    return BuildResult(
        site_dir=site_dir,
        pages=sum(1 for p in files if p.suffix == ".html"),
        seconds=done - start,
        mkdocs_seconds=built - start,
        pagefind_seconds=done - built,
        bytes=sum(files.values()),
        generate_seconds=generated_at - start,
        rendered=rendered,
        written=generated.written,
        worker_cpu_seconds=rendering.cpu_seconds,
        worker_peak_kb=rendering.peak_kb,
        render_seconds=built - render_start,
        index_seconds=indexed - built,
        compress_seconds=compress_seconds + done - indexed,
    )


def _site_files(site_dir: Path) -> dict[Path, int]:
    """The published files under ``site_dir`` and their sizes.

    Folders whose names start with a dot are work folders of a search index being built next
    to the site (``serve`` indexes while it rebuilds); they are skipped, and a file that
    disappears while it is listed is not counted.
    """
    sizes: dict[Path, int] = {}
    for folder, subfolders, names in os.walk(site_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            path = Path(folder, name)
            try:
                sizes[path] = path.stat().st_size
            except FileNotFoundError:
                continue
    return sizes


def _run_engine(options: BuildOptions, overrides: dict[str, object], quiet: bool) -> None:
    config = load_config(str(options.config_file), **overrides)
    mkdocs_logger = logging.getLogger("mkdocs")
    if quiet:
        mkdocs_logger.setLevel(logging.WARNING)
    collect = _Collect()
    mkdocs_logger.addHandler(collect)
    try:
        mkdocs_build(config)
    except Abort as exc:
        raise SiteBuildError(
            collect.messages or [str(exc)], logged=bool(collect.messages)
        ) from None
    finally:
        mkdocs_logger.removeHandler(collect)


def _sync(source: Path, target: Path) -> None:
    """Copy the engine's output over ``target``, touching only files whose bytes differ."""
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        _copy(path, target / path.relative_to(source))


def _copy(source: Path, destination: Path) -> None:
    """Replace ``destination`` atomically with ``source`` unless their bytes are equal."""
    data = source.read_bytes()
    if destination.is_file() and destination.stat().st_size == len(data):
        if destination.read_bytes() == data:
            return
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(destination)


def _remove_vanished(site_dir: Path, removed: list[str]) -> None:
    """Delete the output of sources that vanished (an entry deleted or unpublished)."""
    for src in removed:
        if src.endswith(".md"):
            key = src.removesuffix(".md")
            page = site_dir / (key.removesuffix("index") if key.endswith("index") else key)
            (page / "index.html").unlink(missing_ok=True)
            if page.is_dir() and not any(page.iterdir()):
                page.rmdir()
        else:
            (site_dir / src).unlink(missing_ok=True)
