"""Build the site: MkDocs (in-process) with the catalog hook, then the Pagefind index."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from .pagefind import index_site

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    """HTML pages written."""
    seconds: float
    mkdocs_seconds: float
    pagefind_seconds: float
    bytes: int
    """Total size of the site directory."""


class SiteBuildError(Exception):
    """The site was not built; ``messages`` are the errors and warnings MkDocs reported."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages) or "网站没有生成。")
        self.messages = messages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _environ(**values: str | None) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_site(
    catalog: Path,
    site_dir: Path,
    *,
    strict: bool = False,
    only: str | None = None,
    search: bool = True,
    backend_url: str | None = None,
    quiet: bool = False,
) -> BuildResult:
    """Build the static site from ``catalog`` into ``site_dir``.

    Raises :class:`SiteBuildError` with MkDocs' messages when the catalog is broken or, with
    ``strict``, when MkDocs warned; :class:`~site_gen.pagefind.SearchIndexError` when indexing fails.
    """
    start = time.perf_counter()
    overrides: dict[str, object] = {"site_dir": str(site_dir), "strict": strict}
    with _environ(BANSHI_CATALOG=str(Path(catalog).resolve()), BANSHI_ONLY=only or None):
        config = load_config(str(CONFIG_FILE), **overrides)
        if backend_url is not None:
            config.extra["backend_url"] = backend_url
        mkdocs_logger = logging.getLogger("mkdocs")
        if quiet:
            mkdocs_logger.setLevel(logging.WARNING)
        collect = _Collect()
        mkdocs_logger.addHandler(collect)
        try:
            mkdocs_build(config)
        except Abort as exc:
            raise SiteBuildError(collect.messages or [str(exc)]) from None
        finally:
            mkdocs_logger.removeHandler(collect)
    built = time.perf_counter()
    if search:
        index_site(Path(site_dir), quiet=quiet)
    done = time.perf_counter()
    pages = sum(1 for _ in Path(site_dir).rglob("*.html"))
    size = sum(p.stat().st_size for p in Path(site_dir).rglob("*") if p.is_file())
    return BuildResult(
        site_dir=Path(site_dir),
        pages=pages,
        seconds=done - start,
        mkdocs_seconds=built - start,
        pagefind_seconds=done - built,
        bytes=size,
    )
