"""The line under a printed materials checklist: where to go, when, whom to call."""

from __future__ import annotations

import datetime as dt

from catalog import Window

from .. import facts
from ..html import e
from ..site import Site


def print_footer(
    site: Site, window: Window | None, phone: str | None, verified: dt.date | None
) -> str:
    """A paragraph shown only when printing (see ``banshi.css``)."""
    catalog = site.catalog
    parts = []
    if window is not None:
        hall = catalog.hall_of(window)
        parts.append(f"办理地点：{hall.name} {window.location}（{hall.address}）")
        parts.append(f"工作日 {facts.periods(window.hours)}")
    parts.append(f"咨询电话：{phone or catalog.settings.hotlines[0].phone}")
    source = f"打印自{catalog.settings.site_name}"
    if verified is not None:
        source += f"，指南核验日期 {verified.isoformat()}"
    parts.append(source)
    return f'<p class="banshi-print-footer" data-pagefind-ignore>{e("；".join(parts))}。</p>'
