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


SYNONYM_WEIGHT = 5
"""Pagefind weight of a page's synonyms (its h1 title weighs 7, body text 1)."""


def synonym_span(site: Site, title: str, aliases: list[str]) -> str:
    """The editors' synonyms of the words in a page's title and aliases, as hidden text
    Pagefind indexes: a query is then searched by the words typed only, not by each synonym
    too (every word searched may cost another ~25 KB index chunk). A group's words already in
    the title are left out (the title weighs more); those in an alias are kept, so an alias
    weighs as much as another page's synonym."""
    names = "\n".join([title, *aliases])
    words: list[str] = []
    for group in site.catalog.search_words.synonyms:
        if any(w in names for w in group):
            words += [w for w in group if w not in title and w not in words]
    if not words:
        return ""
    return f'<span data-pagefind-weight="{SYNONYM_WEIGHT}">{e(" ".join(words))}</span>'


POPULAR_FALLBACK = 8
"""Without a ``popular`` list, this many high-frequency (高频) items are offered instead."""


def _indexed_text(site: Site) -> str:
    """The words of the pages Pagefind indexes: what citizens read on item and bundle pages."""
    catalog = site.catalog
    parts: list[str] = [d.name for d in catalog.departments.values()]
    for item in (catalog.items[i] for i in site.item_ids):
        parts += [item.name, item.summary or "", *item.aliases, *item.conditions]
        parts += [m.name + (m.notes or "") for m in item.materials]
        parts += [s.name + (s.description or "") for s in item.process]
        parts += [f.q + f.a for f in item.faq]
    for bundle in (catalog.bundles[b] for b in site.bundle_ids):
        parts += [bundle.name, bundle.summary, *bundle.aliases, *(s.name for s in bundle.process)]
    return "\n".join(parts)


def _names(site: Site) -> str:
    """The titles and aliases of the pages Pagefind indexes (what search.js re-ranks by)."""
    catalog = site.catalog
    parts: list[str] = []
    for item in (catalog.items[i] for i in site.item_ids):
        parts += [item.name, *item.aliases]
    for bundle in (catalog.bundles[b] for b in site.bundle_ids):
        parts += [bundle.name, *bundle.aliases]
    return "\n".join(parts)


def _popular(site: Site) -> list[dict[str, str]]:
    catalog = site.catalog
    entries = (
        list(catalog.search_words.popular)
        or [i.id for i in catalog.items.values() if i.high_frequency and i.id in site.item_ids][
            :POPULAR_FALLBACK
        ]
    )
    popular = []
    for entry in entries:
        if entry in site.item_ids:
            popular.append({"url": f"items/{entry}/", "title": catalog.items[entry].name})
        elif entry in site.bundle_ids:
            popular.append({"url": f"bundles/{entry}/", "title": catalog.bundles[entry].name})
    return popular


def words_json(site: Site) -> str:
    catalog = site.catalog
    words = catalog.search_words
    text, names = _indexed_text(site), _names(site)
    synonyms = {w for group in words.synonyms for w in group}
    data = {
        "pages": len(site.item_ids) + len(site.bundle_ids),
        "synonyms": [list(group) for group in words.synonyms],
        # Synonyms no page contains: still understood when typed, never searched for (each
        # word searched may cost Pagefind another index chunk of ~25 KB).
        "absent": sorted(w for w in synonyms if w not in text),
        # Synonyms in body text only, in no title or alias: searched only when the word typed
        # and its other synonyms find nothing.
        "untitled": sorted(w for w in synonyms if w in text and w not in names),
        "ignore": list(words.ignore),
        "weak": list(words.weak),
        "popular": _popular(site),
        "phones": [{"name": h.name, "phone": h.phone} for h in catalog.settings.hotlines],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
