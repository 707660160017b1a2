"""What the browser's search (``docs/assets/banshi/search.js``) learns from the catalog:
``search/words.json`` with the editors' synonyms, filler and weak words (``search.yml``), the
popular entries and hotlines for the no-results message, and the alias metadata on each page."""

from __future__ import annotations

import json

from .html import e
from .site import Site

PATH = "search/words.json"
"""Site path of the file; search.js fetches it next to the search page."""


def alias_meta(aliases: list[str]) -> str:
    """Aliases as Pagefind metadata: search.js ranks exact title/alias matches first."""
    if not aliases:
        return ""
    return f'<span data-pagefind-meta="aliases:{e("、".join(aliases))}"></span>'


def words_json(site: Site) -> str:
    catalog = site.catalog
    words = catalog.search_words
    popular = []
    for entry in words.popular:
        if entry in site.item_ids:
            popular.append({"url": f"items/{entry}/", "title": catalog.items[entry].name})
        elif entry in site.bundle_ids:
            popular.append({"url": f"bundles/{entry}/", "title": catalog.bundles[entry].name})
    data = {
        "pages": len(site.item_ids) + len(site.bundle_ids),
        "synonyms": [list(group) for group in words.synonyms],
        "ignore": list(words.ignore),
        "weak": list(words.weak),
        "popular": popular,
        "phones": [{"name": h.name, "phone": h.phone} for h in catalog.settings.hotlines],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
