"""Catalog values in plain words: days, fees, visits, opening hours, field titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..catalog import Catalog
from ..common import OnlineCapability
from ..item import Fee, Situation
from ..place import Flexible, Period
from .changes import Difference


def days(count: int) -> str:
    return f"{count} 个工作日"


def fees_text(fees: Iterable[Fee]) -> str:
    fees = list(fees)
    if not fees:
        return "免费"
    return "、".join(f"{fee.name} {_money(fee.amount_yuan)} 元" for fee in fees)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def visits_text(count: int) -> str:
    return f"{count} 次（零跑动）" if count == 0 else f"{count} 次"


def capabilities_text(capabilities: Iterable[OnlineCapability]) -> str:
    chosen = set(capabilities)
    ordered = [c.value for c in OnlineCapability if c in chosen]
    return "、".join(ordered) if ordered else "不能网上办理"


def periods_text(periods: Iterable[Period]) -> str:
    text = "、".join(f"{p.start}–{p.end}" for p in periods)
    return text or "不开放"


def flexible_text(flexible: Flexible) -> str:
    if not (flexible.early_minutes or flexible.late_minutes):
        return "无"
    return f"开门前 {flexible.early_minutes} 分钟、下班后 {flexible.late_minutes} 分钟"


def value_text(value: Any) -> str:
    """A short display of a simple field value."""
    if value is None:
        return "未填写"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value) if value else "无"
    return str(value)


def _is_simple(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(_is_simple(v) for v in value)
    return not isinstance(value, BaseModel | dict)


def title_of(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def changed_fields(old: BaseModel, new: BaseModel, skip: Iterable[str] = ()) -> list[str]:
    skipped = set(skip)
    return [
        name
        for name in type(new).model_fields
        if name not in skipped and getattr(old, name) != getattr(new, name)
    ]


SHORT_VALUE = 40
"""Longer values (free text) are not quoted in the diff; only the field's title is listed."""


def generic_differences(
    old: BaseModel,
    new: BaseModel,
    skip: Iterable[str] = (),
    show: Callable[[str, Any], str] | None = None,
) -> list[Difference]:
    """Short simple fields as ``title: old → new``; other fields' titles as one "其他修改" line.

    ``show(field_name, value)`` may turn ids into names.
    """
    model = type(new)
    found: list[Difference] = []
    complex_titles: list[str] = []
    for name in changed_fields(old, new, skip):
        before, after = getattr(old, name), getattr(new, name)
        if _is_simple(before) and _is_simple(after):
            old_text = show(name, before) if show else value_text(before)
            new_text = show(name, after) if show else value_text(after)
            if max(len(old_text), len(new_text)) <= SHORT_VALUE:
                found.append(Difference(title_of(model, name), old_text, new_text))
                continue
        complex_titles.append(title_of(model, name))
    if complex_titles:
        found.append(Difference("其他修改", new="、".join(complex_titles)))
    return found


def namer(old: Catalog | None, new: Catalog | None) -> Callable[[str, Any], str]:
    """Shows department, window and theme ids as names (looked up in either catalog)."""

    def lookup(field_name: str, entry_id: str) -> str:
        for catalog in (new, old):
            if catalog is None:
                continue
            if "department" in field_name and entry_id in catalog.departments:
                return catalog.departments[entry_id].short_name
            if field_name == "window" and entry_id in catalog.windows:
                return catalog.windows[entry_id].name
            if field_name == "themes" and entry_id in catalog.themes:
                return catalog.themes[entry_id].name
        return entry_id

    def show(field_name: str, value: Any) -> str:
        if isinstance(value, str) and field_name in ("department", "lead_department", "window"):
            return lookup(field_name, value)
        if isinstance(value, list) and field_name in (
            "co_departments",
            "supporting_departments",
            "themes",
        ):
            return "、".join(lookup(field_name, v) for v in value) if value else "无"
        return value_text(value)

    return show


def material_value(name: str, value: Any) -> str:
    if name == "copies":
        return f"{value} 份"
    if name == "required":
        return "必需" if value else "视情况提交"
    if name == "exempt":
        return "免提交" if value else "需提交"
    if name == "when":
        if not value:
            return "所有情形"
        return "；".join(f"{sid}: {'、'.join(options)}" for sid, options in value.items())
    return value_text(value)


def condition_text(situations: Iterable[Situation], when: dict[str, list[str]]) -> str:
    """A ``when`` condition as the applicant reads it: ``“是否委托他人代办？”选“是”``."""
    by_id = {s.id: s for s in situations}
    parts = []
    for sid, options in when.items():
        situation = by_id.get(sid)
        if situation is None:
            parts.append(f"{sid}: {'、'.join(options)}")
            continue
        labels = {o.id: o.label for o in situation.options}
        chosen = "或".join(f"“{labels.get(o, o)}”" for o in options)
        parts.append(f"“{situation.question}”选{chosen}")
    return "，且".join(parts)
