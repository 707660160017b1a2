"""Every generated page of the site, as ``{page key: source}``; :mod:`site_gen.sources` writes them."""

from __future__ import annotations

from collections.abc import Iterator

from catalog import downloads as catalog_files

from .pages.bundle import render_bundle
from .pages.department import render_department, render_department_index
from .pages.home import render_bundle_index, render_home
from .pages.item import render_item
from .pages.opendata import DOWNLOADS, render_opendata
from .pages.search import render_search
from .pages.stats import render_stats
from .pages.theme import render_theme, render_theme_index
from .pages.window import render_window, render_window_index
from .search_words import PATH as SEARCH_WORDS
from .search_words import words_json
from .site import Site
from .urls import depth_base

NAV_PAGES = (
    "index",
    "themes/index",
    "bundles/index",
    "departments/index",
    "windows/index",
    "stats/index",
    "data/index",
)
"""Section pages that appear in the navigation; everything else stays out of it."""


def pages(site: Site) -> Iterator[tuple[str, str]]:
    """(page key, Markdown source) for every generated page."""
    catalog = site.catalog
    yield "index", render_home(site, depth_base("index"))
    for key, render in (
        ("themes/index", render_theme_index),
        ("bundles/index", render_bundle_index),
        ("departments/index", render_department_index),
        ("windows/index", render_window_index),
        ("search/index", render_search),
        ("stats/index", render_stats),
        ("data/index", render_opendata),
    ):
        yield key, render(site, depth_base(key))
    for item in site.items():
        key = f"items/{item.id}"
        yield key, render_item(site, item, depth_base(key))
    for bundle in site.bundles():
        key = f"bundles/{bundle.id}"
        yield key, render_bundle(site, bundle, depth_base(key))
    for department_id in sorted(site.department_ids, key=list(catalog.departments).index):
        key = f"departments/{department_id}"
        yield key, render_department(site, catalog.departments[department_id], depth_base(key))
    for theme_id in sorted(site.theme_ids, key=list(catalog.themes).index):
        key = f"themes/{theme_id}"
        yield key, render_theme(site, catalog.themes[theme_id], depth_base(key))
    for window_id in sorted(site.window_ids, key=list(catalog.windows).index):
        key = f"windows/{window_id}"
        yield key, render_window(site, catalog.windows[window_id], depth_base(key))


def downloads(site: Site) -> Iterator[tuple[str, str | bytes]]:
    """(site path, content) of the open data files and of the blank forms and samples that
    published pages link to (copied from the catalog's ``files/``)."""
    for path, render in DOWNLOADS:
        yield path, render(site)
    yield SEARCH_WORDS, words_json(site)
    for name in catalog_files.names(site.items()):
        yield (
            f"{catalog_files.FOLDER}/{name}",
            catalog_files.path(site.catalog.root, name).read_bytes(),
        )
