"""The MkDocs adapter: load the catalog once per build and add the generated pages in memory.

Registered in ``mkdocs.yml`` under ``hooks:``. Environment:

- ``BANSHI_CATALOG``: catalog directory (default ``catalog_yaml/`` next to ``mkdocs.yml``);
- ``BANSHI_ONLY``: an item or bundle id; builds a small preview site around that entry.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # when run as `mkdocs build`

from catalog import CatalogError, load_catalog  # noqa: E402
from site_gen.generate import NAV_PAGES, downloads, pages  # noqa: E402
from site_gen.reform import reform_report  # noqa: E402
from site_gen.site import Site  # noqa: E402

_site: Site | None = None
_generated: set[str] = set()
_stashed: dict[str, list[str]] = {}
STASH = re.compile(r'<div data-banshi-stash="(\d+)"></div>')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the catalog; a broken catalog stops the build with every problem."""
    global _site
    root = Path(config.config_file_path or ".").resolve().parent
    path = Path(os.environ.get("BANSHI_CATALOG") or root / "catalog_yaml")
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        listed = "\n".join(f"  {problem.format()}" for problem in exc.problems)
        raise PluginError(
            f"目录 {path} 有 {len(exc.problems)} 个问题，网站没有生成。请先修改下列问题"
            f"（也可以运行 python build.py check 查看）：\n{listed}"
        ) from None
    backend_url = str(config.extra.get("backend_url") or "")
    only = os.environ.get("BANSHI_ONLY")
    if only:
        try:
            _site = Site.around(catalog, only, backend_url)
        except KeyError:
            raise PluginError(
                f"目录 {path} 里没有标识为“{only}”的事项或一件事。请检查 --only 后面的标识（即文件名，不含 .yml）。"
            ) from None
    else:
        _site = Site.full(catalog, backend_url, reform_report(catalog))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every generated page; item, bundle and other detail pages stay out of the nav."""
    assert _site is not None, "on_config loads the catalog first"
    _generated.clear()
    _stashed.clear()
    for key, source in pages(_site):
        inclusion = InclusionLevel.INCLUDED if key in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        uri = f"{key}.md"
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=source, inclusion=inclusion))
        _generated.add(uri)
    for uri, content in downloads(_site):
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Set the generated pages' raw HTML blocks aside so Markdown does not parse them.

    The renderers emit Markdown headings and complete raw HTML blocks; Python-Markdown would
    parse every HTML block twice (MkDocs' anchor scan and the html_block preprocessor) only to
    copy it through unchanged. Putting them back in ``on_page_content`` gives the same page
    several times faster.
    """
    if page.file.src_uri not in _generated:
        return markdown
    blocks = markdown.split("\n\n")
    stash: list[str] = []
    for index, block in enumerate(blocks):
        if block.startswith("<") and not block.startswith("<!--"):
            blocks[index] = f'<div data-banshi-stash="{len(stash)}"></div>'
            stash.append(block)
    _stashed[page.file.src_uri] = stash
    return "\n\n".join(blocks)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the raw HTML blocks set aside in ``on_page_markdown`` back in place."""
    stash = _stashed.pop(page.file.src_uri, None)
    if stash is None:
        return html
    return STASH.sub(lambda m: stash[int(m.group(1))], html)
