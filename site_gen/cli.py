"""``python build.py build``: build the site and report pages, time and size (or a clean error)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from .builder import SiteBuildError, build_site
from .pagefind import SearchIndexError


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def run_build(catalog: Path, site_dir: Path, *, strict: bool = False) -> int:
    """Exit 0 when the site was built; 1 with a message (no traceback) when it was not."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        result = build_site(catalog, site_dir, strict=strict, quiet=True)
    except SiteBuildError:  # MkDocs has already logged the problems above
        hint = "（--strict 模式下，警告也会中止生成）" if strict else ""
        sys.stderr.write(f"网站没有生成{hint}：请按上面的提示逐条修改后重试。\n")
        return 1
    except SearchIndexError as exc:
        sys.stderr.write(f"搜索索引没有生成：{exc}\n")
        return 1
    sys.stdout.write(
        f"built {result.pages} pages in {result.seconds:.1f} s "
        f"(mkdocs {result.mkdocs_seconds:.1f} s, pagefind {result.pagefind_seconds:.1f} s), "
        f"site {megabytes(result.bytes)} → {result.site_dir}\n"
    )
    return 0
