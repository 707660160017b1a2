"""Lists of items and bundles as they appear on home, department, theme and window pages."""

from __future__ import annotations

from collections.abc import Iterable

from catalog import Bundle, Item

from . import facts, urls
from .html import e, link
from .site import Site


def item_list(site: Site, items: Iterable[Item], base_url: str) -> str:
    """Linked items with their key facts; items without a page are left out."""
    entries = [
        f'<li>{link(urls.item(site, base_url, i.id), i.name)}<span class="banshi-note">'
        f"{e(facts.visits(i))} · {e(facts.online_depth_label(i))} · "
        f"{'当场办结' if i.time_limit.promised_days == 0 else f'{i.time_limit.promised_days} 个工作日'}"
        "</span></li>"
        for i in items
        if i.id in site.item_ids
    ]
    if not entries:
        return "<p>暂无已发布办事指南的事项。</p>"
    return f'<ul class="banshi-list">{"".join(entries)}</ul>'


def bundle_list(site: Site, bundles: Iterable[Bundle], base_url: str) -> str:
    entries = [
        f'<li>{link(urls.bundle(site, base_url, b.id), b.name)}<span class="banshi-note">{e(b.summary)}</span></li>'
        for b in bundles
        if b.id in site.bundle_ids
    ]
    if not entries:
        return "<p>暂无。</p>"
    return f'<ul class="banshi-list">{"".join(entries)}</ul>'
