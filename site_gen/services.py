"""The citizen's ways into the forms backend, shown on the home page and in every header.

``overrides/partials/header.html`` lists the same links (a test keeps the two equal); both
are left out when the site is built without a backend (``extra.backend_url: false``).
"""

from __future__ import annotations

from .html import e
from .site import Site

SERVICES = (
    ("我要预约", "/bookings/new", "选事项、约时间，到窗口不用排队"),
    ("我的预约", "/bookings/lookup", "查看、改约或取消预约"),
    ("办件进度", "/apply/lookup", "查网上申报的办理进度，补正材料"),
    ("评价", "/evaluations/", "对办事体验“好差评”"),
    ("我要留言", "/feedback/", "咨询、建议、投诉，都会答复"),
)
"""(name, backend path, what it is for)."""


def service_cards(site: Site) -> str:
    """The home page's service entries; empty without a backend."""
    if not site.has_backend:
        return ""
    cards = "".join(
        f'<li><a href="{e(site.backend(path))}">{e(name)}</a>'
        f'<span class="banshi-note">{e(hint)}</span></li>'
        for name, path, hint in SERVICES
    )
    return f'<ul class="banshi-cards banshi-service-cards">{cards}</ul>'
