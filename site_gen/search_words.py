"""What the browser's search (``docs/assets/banshi/search.js``) learns from the catalog:
``search/words.json`` with the editors' synonyms, filler and weak words (``search.yml``), the
popular entries and hotlines for the no-results message, the alias metadata on each page, and
each page's synonym keys.

Synonyms are expanded when the index is built, not when a citizen searches: a page that says
any word of a synonym group carries the group's key (``00syn`` + 6 hex digits) in its hidden
search data, so search.js asks Pagefind for one key instead of every synonym. All keys sort
together, first, so they share one index chunk (about 30 KB at gzip) where the synonyms were
spread over as many chunks as they had first characters."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .html import e
from .pagefind import without_ignored
from .site import Site

PATH = "search/words.json"
"""Site path of the file; search.js fetches it next to the search page."""


def alias_meta(aliases: list[str]) -> str:
    """Aliases as Pagefind metadata: search.js ranks exact title/alias matches first."""
    if not aliases:
        return ""
    return f'<span data-pagefind-meta="aliases:{e("、".join(aliases))}"></span>'


KEY_PREFIX = "00syn"
"""Keys sort before every other word (digits first, and "00" before any other number but
"0" and "00"), so they all fall into Pagefind's first index chunk, which then holds little
else (its chunks hold 20,000 word positions each)."""
KEY_REPEAT = 2
"""A key is repeated once per occurrence of its group's words, at most this often (term
frequency still counts in Pagefind's ranking, without letting long pages run away)."""
TITLE_WEIGHT = 7
"""Weight of the key when the title or an alias says one of the group's words: Pagefind's
own weight for words in an ``h1``."""
TAG = re.compile(r"<script\b.*?</script>|<[^>]*>", re.S)
"""Markup Pagefind does not index as words: tags, and scripts (the JSON-LD) with their text."""


def group_key(group: Sequence[str]) -> str:
    """The group's key, stable while the group's words stay the same."""
    digest = hashlib.sha1("、".join(group).encode("utf-8")).hexdigest()
    return f"{KEY_PREFIX}{digest[:6]}"


@lru_cache(maxsize=8)
def _patterns(groups: tuple[tuple[str, ...], ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (group_key(g), re.compile("|".join(map(re.escape, sorted(g, key=len, reverse=True)))))
        for g in groups
    ]


def synonym_keys(site: Site, names: Iterable[str], markup: str) -> str:
    """The keys of the synonym groups the page's ``markup`` says, as hidden indexed text for
    the page's search data: weighted like a title when ``names`` (title, aliases) say them.
    Text the index leaves out (``data-pagefind-ignore``) does not count."""
    groups = tuple(tuple(g) for g in site.catalog.search_words.synonyms)
    if not groups:
        return ""
    text = html.unescape(TAG.sub(" ", without_ignored(markup)))
    title = " ".join(names)
    in_title, in_text = [], []
    for key, pattern in _patterns(groups):
        if pattern.search(title):
            in_title.append(key)
        in_text += [key] * min(len(pattern.findall(text)), KEY_REPEAT)
    if not in_title and not in_text:
        return ""
    heading = (
        f'<span data-pagefind-weight="{TITLE_WEIGHT}">{" ".join(in_title)}</span> '
        if in_title
        else ""
    )
    return f"{heading}<span>{' '.join(in_text)}</span>"


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
    text = _indexed_text(site)
    data = {
        "pages": len(site.item_ids) + len(site.bundle_ids),
        "synonyms": [list(group) for group in words.synonyms],
        # Each group's key, searched instead of its words; null when no page says any of them.
        "keys": [
            group_key(group) if any(w in text for w in group) else None for group in words.synonyms
        ],
        "ignore": list(words.ignore),
        "weak": list(words.weak),
        "popular": _popular(site),
        "phones": [{"name": h.name, "phone": h.phone} for h in catalog.settings.hotlines],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
