"""Life-event theme pages (主题) and the theme index, for 个人 and 法人."""

from __future__ import annotations

from catalog import Audience, Theme

from .. import urls
from ..html import e, front_matter, link
from ..listing import bundle_list, item_list
from ..site import Site

AUDIENCE_TITLES = {Audience.PERSON: "个人办事", Audience.ORGANISATION: "企业办事"}


def render_theme(site: Site, theme: Theme, base_url: str) -> str:
    """Markdown source of ``themes/<id>/``."""
    catalog = site.catalog
    bundles = [b for b in catalog.bundles.values() if theme.id in b.themes]
    parts = [front_matter(title=theme.name), f"# {e(theme.name)}\n"]
    if theme.description:
        parts.append(f'<p class="banshi-lead">{e(theme.description)}</p>')
    if any(b.id in site.bundle_ids for b in bundles):
        parts += ["## 一件事一次办 {#bundles}\n", bundle_list(site, bundles, base_url)]
    parts += ["## 办事指南 {#items}\n", item_list(site, site.items_of_theme(theme.id), base_url)]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def theme_cards(site: Site, base_url: str, audience: Audience) -> str:
    """Linked themes for one audience (used on home and on the theme index)."""
    entries = []
    for theme in site.catalog.themes.values():
        if theme.audience is not audience or theme.id not in site.theme_ids:
            continue
        note = (
            f'<span class="banshi-note">{e(theme.description)}</span>' if theme.description else ""
        )
        entries.append(f"<li>{link(urls.theme(site, base_url, theme.id), theme.name)}{note}</li>")
    return f'<ul class="banshi-cards">{"".join(entries)}</ul>' if entries else "<p>暂无。</p>"


def render_theme_index(site: Site, base_url: str) -> str:
    """Markdown source of ``themes/``."""
    parts = [front_matter(title="按主题查找"), "# 按主题查找\n"]
    for audience, title in AUDIENCE_TITLES.items():
        parts += [f"## {title}\n", theme_cards(site, base_url, audience)]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"
