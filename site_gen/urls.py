"""Where each page lives. Links are relative (``base`` is the page's way back to the site root),
so the site works under any path prefix and from a plain file server."""

from __future__ import annotations

from .site import Site


def src_uri(key: str) -> str:
    """The in-memory source file of a page key such as ``items/x`` or ``index``."""
    return f"{key}.md"


def depth_base(key: str) -> str:
    """The relative path from a page (with directory URLs) back to the site root."""
    if key == "index":
        return ""
    return "../" * (key.count("/") + 1) if not key.endswith("/index") else "../" * key.count("/")


def item(site: Site, base: str, item_id: str) -> str | None:
    return f"{base}items/{item_id}/" if item_id in site.item_ids else None


def bundle(site: Site, base: str, bundle_id: str) -> str | None:
    return f"{base}bundles/{bundle_id}/" if bundle_id in site.bundle_ids else None


def department(site: Site, base: str, department_id: str) -> str | None:
    return f"{base}departments/{department_id}/" if department_id in site.department_ids else None


def theme(site: Site, base: str, theme_id: str) -> str | None:
    return f"{base}themes/{theme_id}/" if theme_id in site.theme_ids else None


def window(site: Site, base: str, window_id: str) -> str | None:
    return f"{base}windows/{window_id}/" if window_id in site.window_ids else None
