"""Small HTML helpers shared by the page renderers (escaping, links, definition lists)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape

UNINDEXED = " data-pagefind-ignore"
"""Attribute of an element the search index leaves out (and its excerpts with it): text every
page repeats (hours, addresses, phones, table cells like 原件 / 1 份 / 纸质), which would cost
index space on every search and find nothing (docs/site.md, "Search")."""


def e(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return escape(str(text), quote=True)


def link(href: str | None, text: str) -> str:
    """An ``<a>`` to ``href``, or the escaped text alone when there is no page to link to."""
    return f'<a href="{e(href)}">{e(text)}</a>' if href else e(text)


def ul(entries: Iterable[str], cls: str = "") -> str:
    """A list of already-escaped HTML fragments."""
    class_attr = f' class="{cls}"' if cls else ""
    rows = "".join(f"<li>{entry}</li>" for entry in entries)
    return f"<ul{class_attr}>{rows}</ul>"


def dl(
    pairs: Iterable[tuple[str, str]], cls: str = "", *, indexed: bool | Collection[str] = True
) -> str:
    """A definition list of (escaped term, already-escaped HTML) pairs. ``indexed``: whether
    search indexes the list (False: none of it), or the terms whose rows it indexes."""
    class_attr = f' class="banshi-dl {cls}"' if cls else ' class="banshi-dl"'
    if indexed is False:
        class_attr += UNINDEXED
    rows = "".join(
        f"<div{'' if isinstance(indexed, bool) or term in indexed else UNINDEXED}>"
        f"<dt>{term}</dt><dd>{value}</dd></div>"
        for term, value in pairs
    )
    return f"<dl{class_attr}>{rows}</dl>"


def front_matter(**meta: object) -> str:
    """YAML front matter for MkDocs; values are simple strings, booleans or string lists."""
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, list | tuple):
            lines.append(f"{key}: [{', '.join(_quote(v) for v in value)}]")
        else:
            lines.append(f"{key}: {_quote(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
