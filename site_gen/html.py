"""Small HTML helpers shared by the page renderers (escaping, links, definition lists)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


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


def dl(pairs: Iterable[tuple[str, str]], cls: str = "") -> str:
    """A definition list of (escaped term, already-escaped HTML) pairs."""
    class_attr = f' class="banshi-dl {cls}"' if cls else ' class="banshi-dl"'
    rows = "".join(f"<div><dt>{term}</dt><dd>{value}</dd></div>" for term, value in pairs)
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
