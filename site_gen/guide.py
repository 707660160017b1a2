"""情形引导 and the materials checklist shared by item and bundle pages.

The questions are rendered hidden and revealed by ``banshi.js``; without JavaScript the full
material list shows, each conditional material saying in words when it is needed. Rows carry
``data-when`` (JSON list of conditions, any of which makes the row apply) for the script.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from catalog import Material, Situation
from catalog.conditions import condition_text  # noqa: F401  (guide.condition_text for the pages)

from .html import e

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


def questions(situations: Sequence[Situation], intro: str) -> str:
    """The hidden questionnaire form (revealed by script); empty when there are no situations."""
    if not situations:
        return ""
    fieldsets = []
    for situation in situations:
        options = "".join(
            f'<label><input type="radio" name="{e(situation.id)}" value="{e(o.id)}"> {e(o.label)}</label>'
            for o in situation.options
        )
        fieldsets.append(f"<fieldset><legend>{e(situation.question)}</legend>{options}</fieldset>")
    return (
        '<form class="banshi-guide" data-banshi-guide hidden>'
        f'<p class="banshi-guide__intro">{e(intro)}</p>'
        + "".join(fieldsets)
        + '<p class="banshi-guide__status" aria-live="polite"></p>'
        '<button type="reset" class="md-button">重新选择</button>'
        "</form>"
    )


def material_cells(material: Material) -> str:
    """The cells describing one material (form, copies, medium, source)."""
    source = material.source.value + (f"（{material.issuer}）" if material.issuer else "")
    return (
        f"<td>{e(material.form.value)}</td><td>{material.copies}</td>"
        f"<td>{e(material.medium.value)}</td><td>{e(source)}</td>"
    )


def material_name(material: Material, when_text: str) -> str:
    """Name cell content: name, required/optional, exemption, notes, forms, condition."""
    notes = []
    if not material.required:
        notes.append("视情况提交")
    if material.exempt:
        notes.append(f"免提交：{material.exempt_reason}")
    if when_text:
        notes.append(when_text)
    if material.blank_form:
        notes.append(f"空白表格：{material.blank_form}")
    if material.sample:
        notes.append(f"示例样表：{material.sample}")
    if material.notes:
        notes.append(material.notes)
    extra = "".join(f'<span class="banshi-note">{e(n)}</span>' for n in notes)
    return f"<strong>{e(material.name)}</strong>{extra}"


def row_attrs(conditions: Sequence[Condition | None]) -> str:
    """``data-when`` for a row: absent when one of the conditions is unconditional."""
    if not conditions or any(c is None for c in conditions):
        return ""
    payload = json.dumps(list(conditions), ensure_ascii=False, separators=(",", ":"))
    return f" data-when='{e(payload)}'"


TICK = '<td class="banshi-tick" aria-hidden="true"></td>'
"""A tick box shown only in print (the checklist)."""

HEAD = (
    '<th class="banshi-tick" aria-hidden="true"></th><th scope="col">材料名称</th>'
    '<th scope="col">原件/复印件</th><th scope="col">份数</th><th scope="col">载体</th>'
    '<th scope="col">来源</th>'
)
