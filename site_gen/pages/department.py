"""Department pages and the department index."""

from __future__ import annotations

from catalog import Department

from .. import urls
from ..html import dl, e, front_matter, link
from ..listing import bundle_list, item_list
from ..site import Site


def render_department(site: Site, department: Department, base_url: str) -> str:
    """Markdown source of ``departments/<id>/``."""
    catalog = site.catalog
    items = site.items_of_department(department.id)
    published = [i for i in items if i.id in site.item_ids]
    bundles = [b for b in catalog.bundles.values() if b.lead_department == department.id]
    rows = [("咨询电话", e(department.phone))]
    if department.address:
        rows.append(("办公地址", e(department.address)))
    rows.append(("事项数", f"实施 {len(items)} 项，其中 {len(published)} 项有办事指南"))
    parts = [
        front_matter(title=department.name),
        f"# {e(department.name)}\n",
        dl(rows),
        "## 办事指南 {#items}\n",
        item_list(site, published, base_url),
    ]
    if any(b.id in site.bundle_ids for b in bundles):
        parts += ["## 牵头的一件事 {#bundles}\n", bundle_list(site, bundles, base_url)]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def render_department_index(site: Site, base_url: str) -> str:
    """Markdown source of ``departments/``."""
    catalog = site.catalog
    entries = []
    for department in catalog.departments.values():
        if department.id not in site.department_ids:
            continue
        count = sum(1 for i in site.items_of_department(department.id) if i.id in site.item_ids)
        href = urls.department(site, base_url, department.id)
        entries.append(f"<li>{link(href, department.name)}（{count} 项办事指南）</li>")
    return (
        front_matter(title="按部门查找")
        + "# 按部门查找\n\n"
        + f'<ul class="banshi-list">{"".join(entries)}</ul>\n'
    )
