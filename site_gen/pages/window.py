"""Theme window pages (一窗式综合受理): location, hours, after-hours and weekend service."""

from __future__ import annotations

from catalog import Window

from .. import facts, urls
from ..html import dl, e, front_matter, link
from ..listing import item_list
from ..site import Site


def render_window(site: Site, window: Window, base_url: str) -> str:
    """Markdown source of ``windows/<id>/``."""
    catalog = site.catalog
    hall = catalog.hall_of(window)
    rows = [
        ("位置", e(f"{hall.name} {window.location}")),
        ("地址", e(hall.address)),
        ("服务对象", e("、".join(a.value for a in window.audience))),
        ("柜台", f"{window.counters} 个"),
    ]
    rows += [(label, e(text)) for label, text in facts.window_hours(window)]
    phone = window.phone or hall.phone
    if phone:
        rows.append(("电话", e(phone)))
    if hall.transport:
        rows.append(("交通", e(hall.transport)))
    parts = [front_matter(title=window.name), f"# {e(window.name)}\n"]
    if window.description:
        parts.append(f'<p class="banshi-lead">{e(window.description)}</p>')
    parts += [
        dl(rows),
        "## 在本窗口办理的事项 {#items}\n",
        item_list(site, site.items_of_window(window.id), base_url),
    ]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def render_window_index(site: Site, base_url: str) -> str:
    """Markdown source of ``windows/``: every theme window with its hours."""
    entries = []
    for window in site.catalog.windows.values():
        if window.id not in site.window_ids:
            continue
        hours = "；".join(f"{label} {text}" for label, text in facts.window_hours(window))
        entries.append(
            f"<li>{link(urls.window(site, base_url, window.id), window.name)}"
            f'<span class="banshi-note">{e(window.location)}；{e(hours)}</span></li>'
        )
    return (
        front_matter(title="办事窗口")
        + "# 办事窗口和时间\n\n"
        + "<p>工作日之外，部分窗口提供早晚弹性办和双休日不打烊服务，需提前预约。</p>\n\n"
        + f'<ul class="banshi-list">{"".join(entries)}</ul>\n'
    )
