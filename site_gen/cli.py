"""``python build.py build`` and ``generate``: report pages, time and size (or a clean error)."""

from __future__ import annotations

import logging
import sys

from .builder import BuildOptions, SiteBuildError, build, generate_sources
from .pagefind import SearchIndexError


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def run_generate(options: BuildOptions) -> int:
    """Exit 0 when the build folder was written; 1 with the catalog's problems when not."""
    try:
        result = generate_sources(options)
    except SiteBuildError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(
        f"generated {len(result.pages)} pages in {result.seconds:.1f} s: "
        f"{len(result.written)} files written, {len(result.removed)} removed, "
        f"{result.unchanged} unchanged → {result.docs_dir}\n"
    )
    return 0


def run_build(options: BuildOptions) -> int:
    """Exit 0 when the site was built; 1 with a message (no traceback) when it was not."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        result = build(options, quiet=True)
    except SiteBuildError as exc:
        hint = "（--strict 模式下，警告也会中止生成）" if options.strict else ""
        if not exc.logged:
            sys.stderr.write(f"{exc}\n")
        sys.stderr.write(f"网站没有生成{hint}：请按上面的提示逐条修改后重试。\n")
        return 1
    except SearchIndexError as exc:
        sys.stderr.write(f"搜索索引没有生成：{exc}\n")
        return 1
    sys.stdout.write(
        f"built {result.pages} pages in {result.seconds:.1f} s "
        f"(generate {result.generate_seconds:.1f} s, pages {result.mkdocs_seconds - result.generate_seconds:.1f} s, "
        f"pagefind {result.index_seconds:.1f} s, compression {result.compress_seconds:.1f} s), site {megabytes(result.bytes)} → {result.site_dir}\n"
    )
    return 0
