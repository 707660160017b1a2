"""情形引导 and the materials checklist shared by item and bundle pages.

The questions are rendered hidden and revealed by ``banshi.js``; without JavaScript the full
material list shows, each conditional material saying in words when it is needed. Rows carry
``data-when`` (JSON list of conditions, any of which makes the row apply) for the script.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from catalog import Material, Situation, downloads
from catalog.conditions import condition_text  # noqa: F401  (guide.condition_text for the pages)

from .html import UNINDEXED, e
from .site import Site

Condition = dict[str, list[str]]


def merge_conditions(*conditions: Condition | None) -> Condition | None:
    """Both conditions must hold: union of situations, intersection of options."""
    merged: dict[str, list[str]] = {}
    for condition in conditions:
        for sid, options in (condition or {}).items():
            merged[sid] = (
                [o for o in merged[sid] if o in options] if sid in merged else list(options)
            )
    return merged or None


def questions(
    situations: Sequence[Situation],
    intro: str,
    needed_when: Mapping[str, Sequence[Condition]] | None = None,
) -> str:
    """The hidden questionnaire (revealed by script, one question at a time); empty when there
    are no situations. ``needed_when`` maps a situation to the conditions under which it is
    asked at all (a bundle's sub-item questions: only when such a sub-item applies)."""
    if not situations:
        return ""
    needed_when = needed_when or {}
    fieldsets = []
    for situation in situations:
        options = "".join(
            f'<label><input type="radio" name="{e(situation.id)}" value="{e(o.id)}"> {e(o.label)}</label>'
            for o in situation.options
        )
        needed = needed_when.get(situation.id)
        attrs = ""
        if needed:
            payload = json.dumps(list(needed), ensure_ascii=False, separators=(",", ":"))
            attrs = f" data-needed-when='{e(payload)}'"
        # banshi.js asks one question at a time: before any answer only the first is shown.
        # Written so here, the page's first layout is already the guide's (no relayout or
        # layout shift when the script runs).
        if fieldsets:
            attrs += " hidden"
        fieldsets.append(
            f"<fieldset{attrs}><legend>{e(situation.question)}</legend>{options}</fieldset>"
        )
    # Shown only with JavaScript (html.banshi-js, set in the head before first paint): without
    # it the questions would narrow nothing.
    return (
        '<form class="banshi-guide" id="guide" data-banshi-guide>'
        f'<p class="banshi-guide__intro">{e(intro)}</p>'
        + "".join(fieldsets)
        + '<p class="banshi-guide__status" aria-live="polite"></p>'
        '<button type="reset" class="md-button">重新选择</button>'
        "</form>"
    )


LABELS = ("原件/复印件", "份数", "载体", "来源")
"""Column headings of the cells ``material_cells`` writes, repeated on each cell for the
stacked-card layout on phones."""


def material_cells(material: Material) -> str:
    """The cells describing one material (form, copies, medium, source); not indexed for
    search (the same few words on every page)."""
    source = material.source.value + (f"（{material.issuer}）" if material.issuer else "")
    values = (material.form.value, f"{material.copies} 份", material.medium.value, source)
    return "".join(
        f'<td data-label="{label}"{UNINDEXED}>{e(value)}</td>'
        for label, value in zip(LABELS, values, strict=True)
    )


def material_name(material: Material, when_text: str, site: Site, base_url: str) -> str:
    """Name cell content: name, required/optional, exemption, notes, downloads, condition."""
    notes = []
    if not material.required:
        notes.append("视情况提交")
    if material.exempt:
        notes.append(f"免提交：{material.exempt_reason}")
    if when_text:
        notes.append(when_text)
    if material.notes:
        notes.append(material.notes)
    links = []
    for name, label in ((material.blank_form, "下载空白表格"), (material.sample, "查看填写示例")):
        if not name:
            continue
        if downloads.path(site.catalog.root, name).is_file():
            links.append(_download(site, base_url, name, label))
        else:  # check warned; name the file without a dead link
            notes.append(f"{label[2:]}：{name}")
    extra = "".join(f'<span class="banshi-note">{e(n)}</span>' for n in notes)
    if links:
        extra += f'<span class="banshi-downloads">{"".join(links)}</span>'
    return f"<strong>{e(material.name)}</strong>{extra}"


def _download(site: Site, base_url: str, name: str, label: str) -> str:
    """A link to a file in the site's ``files/`` folder, with its type and size."""
    size = downloads.path(site.catalog.root, name).stat().st_size
    kind = name.rsplit(".", 1)[-1].upper()
    href = f"{base_url}{downloads.FOLDER}/{quote(name)}"
    return (
        f'<a class="banshi-download" href="{e(href)}" download>{e(label)}'
        f'<span class="banshi-download__meta">（{e(kind)}，{_size(size)}）</span></a>'
    )


def _size(size: int) -> str:
    return (
        f"{max(1, round(size / 1024))} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
    )


def row_attrs(conditions: Sequence[Condition | None]) -> str:
    """``data-when`` for a row: absent when one of the conditions is unconditional."""
    if not conditions or any(c is None for c in conditions):
        return ""
    payload = json.dumps(list(conditions), ensure_ascii=False, separators=(",", ":"))
    return f" data-when='{e(payload)}'"


TICK = '<td class="banshi-tick" aria-hidden="true"></td>'
"""A tick box shown only in print (the checklist)."""

HEAD = '<th class="banshi-tick" aria-hidden="true"></th><th scope="col">材料名称</th>' + "".join(
    f'<th scope="col"{UNINDEXED}>{label}</th>' for label in LABELS
)
