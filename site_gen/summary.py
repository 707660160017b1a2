"""The box at the top of item and bundle pages: the five questions a citizen asks first.

要带什么 (count + link to the checklist), 去哪里办 (hall, window, address), 什么时间 (hours and,
filled in by ``banshi.js`` from the embedded opening-day map, whether the window is open today),
多久办好, 跑几次. Everything else (fees, audience, online depth) follows in a second list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from catalog import Material, Window

from . import facts, urls
from .html import dl, e, link
from .site import Site


def materials_answer(materials: Sequence[Material], situations: int, note: str = "") -> str:
    """ "7 项材料（2 项免提交，3 项视情况需要）" and a link down to the checklist."""
    if not materials:
        return "不需要提交申请材料"
    exempt = sum(1 for m in materials if m.exempt)
    conditional = sum(1 for m in materials if m.when or not m.required)
    details = []
    if exempt:
        details.append(f"{exempt} 项免提交")
    if conditional:
        details.append(f"{conditional} 项视情况需要")
    text = f"{len(materials)} 项材料" + (f"（{'，'.join(details)}）" if details else "")
    if note:
        text += f"，{note}"
    guide = f"，回答 {situations} 个问题只看您要带的" if situations else ""
    return f'{e(text)}。<a href="#materials">查看材料清单{e(guide)}</a>'


def where_answer(site: Site, window: Window, base_url: str) -> str:
    """Hall and window (linked), then the street address."""
    hall = site.catalog.hall_of(window)
    window_link = link(urls.window(site, base_url, window.id), window.name)
    return (
        f"{e(hall.name)} {e(window.location)}（{window_link}）"
        f'<span class="banshi-note">地址：{e(hall.address)}</span>'
    )


def when_answer(site: Site, window: Window) -> str:
    """The weekly hours; ``banshi.js`` adds whether the window is open today."""
    hours = "；".join(f"{label} {text}" for label, text in facts.window_hours(window))
    data = {
        "days": site.opening_days,
        "w": [f"{p.start}-{p.end}" for p in window.hours],
        "s": [f"{p.start}-{p.end}" for p in window.weekend],
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        f"{e(hours)}"
        f'<span class="banshi-today" data-banshi-today=\'{e(payload)}\' aria-live="polite" hidden></span>'
    )


SEARCHED_FACTS = frozenset({"也叫", "一业一证"})
"""The facts search indexes: the aliases and the merged licence's name. The five answers and
the other facts (audience, fees, online depth, hours, addresses) read much the same on every
page and are left out of the index."""


def summary_box(lead: str, answers: list[tuple[str, str]], more: list[tuple[str, str]]) -> str:
    """The lead sentence, the five answers, then the other key facts."""
    lead_html = f'<p class="banshi-lead">{e(lead)}</p>' if lead else ""
    facts = dl(more, "banshi-facts", indexed=SEARCHED_FACTS) if more else ""
    return (
        f'<div class="banshi-summary">{lead_html}{dl(answers, "banshi-answers", indexed=False)}'
        f"{facts}</div>"
    )
