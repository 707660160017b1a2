"""Compare two catalogs and list what changes for citizens (pure functions, no I/O).

Items are matched by id, then (for ids that disappear) by implementation code, so a renamed
file is a rename, not a removal plus an addition. Bundles are matched by id, then by name,
then by the same set of sub-items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from ..bundle import Bundle
from ..bundling import Savings, material_key, savings
from ..catalog import Catalog
from ..common import OnlineCapability
from ..item import Fee, Item, Material
from ..place import Flexible, Period, Window
from ..settings import CalendarDay

Action = Literal["added", "removed", "changed"]
Publication = Literal["published", "unpublished"]


@dataclass(frozen=True)
class Difference:
    """One difference in plain words: ``what: old → new`` (``old`` or ``new`` may be absent)."""

    what: str
    old: str | None = None
    new: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class EntryChange:
    """An item, bundle, window or other entry that was added, removed or changed."""

    id: str
    name: str
    action: Action
    path: str = ""
    """The entry's file relative to the catalog (the new one, or the old one when removed)."""
    state: str = ""
    """For items and bundles: its publication state after the change (before, when removed)."""
    publication: Publication | None = None
    visible: bool = True
    """False when citizens see the entry neither before nor after (never published)."""
    details: tuple[Difference, ...] = ()
    savings_old: Savings | None = None
    savings_new: Savings | None = None


@dataclass(frozen=True)
class CatalogChanges:
    """Everything that differs between two catalogs, grouped the way reviewers read it."""

    items: tuple[EntryChange, ...] = ()
    bundles: tuple[EntryChange, ...] = ()
    windows: tuple[EntryChange, ...] = ()
    calendar: tuple[Difference, ...] = ()
    other: tuple[EntryChange, ...] = field(default=())
    """Settings, departments, halls and themes."""

    @property
    def empty(self) -> bool:
        return not (self.items or self.bundles or self.windows or self.calendar or self.other)


# ---------------------------------------------------------------- formatting of values


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


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def _changed_fields(old: BaseModel, new: BaseModel, skip: Iterable[str] = ()) -> list[str]:
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
    for name in _changed_fields(old, new, skip):
        before, after = getattr(old, name), getattr(new, name)
        if _is_simple(before) and _is_simple(after):
            old_text = show(name, before) if show else value_text(before)
            new_text = show(name, after) if show else value_text(after)
            if max(len(old_text), len(new_text)) <= SHORT_VALUE:
                found.append(Difference(_title(model, name), old_text, new_text))
                continue
        complex_titles.append(_title(model, name))
    if complex_titles:
        found.append(Difference("其他修改", new="、".join(complex_titles)))
    return found


# ---------------------------------------------------------------- matching

E = TypeVar("E")


def _match(
    old: dict[str, E], new: dict[str, E], keys: Iterable[Callable[[E], Any]]
) -> tuple[dict[str, str], list[str], list[str]]:
    """Pair old ids with new ids: same id first, then each ``key`` in turn.

    Returns (old id → new id, unmatched old ids, unmatched new ids).
    """
    pairs = {i: i for i in old if i in new}
    lost = [i for i in old if i not in new]
    found = [i for i in new if i not in old]
    for key in keys:
        by_key: dict[Any, list[str]] = {}
        for new_id in found:
            by_key.setdefault(key(new[new_id]), []).append(new_id)
        for old_id in list(lost):
            candidates = by_key.get(key(old[old_id]))
            if candidates:
                new_id = candidates.pop(0)
                pairs[old_id] = new_id
                lost.remove(old_id)
                found.remove(new_id)
    return pairs, lost, found


def _relative(catalog: Catalog, path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.relative_to(catalog.root).as_posix()
    except ValueError:
        return path.as_posix()


def _publication(was: bool, now: bool) -> Publication | None:
    if was == now:
        return None
    return "published" if now else "unpublished"


# ---------------------------------------------------------------- items


def _item_state(item: Item) -> str:
    return item.status.value


def _namer(old: Catalog | None, new: Catalog | None) -> Callable[[str, Any], str]:
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


def item_differences(
    old: Item,
    new: Item,
    old_path: str = "",
    new_path: str = "",
    catalogs: tuple[Catalog | None, Catalog | None] = (None, None),
) -> list[Difference]:
    """What changed in one item, most important for citizens first."""
    show = _namer(*catalogs)
    found: list[Difference] = []
    if old.name != new.name:
        found.append(Difference("事项名称", old.name, new.name))
    if old.id != new.id:
        found.append(
            Difference(
                "事项标识",
                f"{old.id}（{old_path}）",
                f"{new.id}（{new_path}）",
                note="实施编码相同，是同一个事项改名，网址随之改变",
            )
        )
    elif old_path != new_path:
        found.append(Difference("文件位置", old_path, new_path))
    if old.status != new.status:
        found.append(Difference("事项状态", old.status.value, new.status.value))
    old_limit, new_limit = old.time_limit, new.time_limit
    if old_limit.case_type != new_limit.case_type:
        found.append(Difference("办件类型", old_limit.case_type.value, new_limit.case_type.value))
    if old_limit.legal_days != new_limit.legal_days:
        found.append(
            Difference("法定办结时限", days(old_limit.legal_days), days(new_limit.legal_days))
        )
    if old_limit.promised_days != new_limit.promised_days:
        found.append(
            Difference("承诺办结时限", days(old_limit.promised_days), days(new_limit.promised_days))
        )
    if old.fees != new.fees:
        found.append(Difference("收费", fees_text(old.fees), fees_text(new.fees)))
    if old.visits != new.visits:
        found.append(Difference("到现场次数", visits_text(old.visits), visits_text(new.visits)))
    if set(old.online_depth) != set(new.online_depth):
        found.append(_online_difference(old, new))
    if old.postal_delivery != new.postal_delivery:
        found.append(
            Difference("支持邮寄", value_text(old.postal_delivery), value_text(new.postal_delivery))
        )
    if old.department != new.department:
        found.append(
            Difference(
                "实施主体", show("department", old.department), show("department", new.department)
            )
        )
    if old.window != new.window:
        found.append(Difference("办理窗口", show("window", old.window), show("window", new.window)))
    found.extend(material_differences(old.materials, new.materials))
    skip = {
        "id",
        "name",
        "status",
        "time_limit",
        "fees",
        "visits",
        "online_depth",
        "postal_delivery",
        "department",
        "window",
        "materials",
    }
    found.extend(generic_differences(old, new, skip, show))
    return found


def _online_difference(old: Item, new: Item) -> Difference:
    gained = [
        c.value for c in OnlineCapability if c in new.online_depth and c not in old.online_depth
    ]
    lost = [
        c.value for c in OnlineCapability if c in old.online_depth and c not in new.online_depth
    ]
    notes = []
    if gained:
        notes.append(f"新增：{'、'.join(gained)}")
    if lost:
        notes.append(f"取消：{'、'.join(lost)}")
    if new.fully_online and not old.fully_online:
        notes.append("现可全程网办")
    if old.fully_online and not new.fully_online:
        notes.append("不再能全程网办")
    return Difference(
        "网上办理深度",
        capabilities_text(old.online_depth),
        capabilities_text(new.online_depth),
        note="；".join(notes),
    )


MATERIAL_ATTRIBUTES = ("required", "form", "copies", "medium", "source", "exempt", "when")
"""Material fields whose change is reported one by one; others are "其他内容"."""


def material_differences(old: list[Material], new: list[Material]) -> list[Difference]:
    """Materials added, removed, and changed (matched by name, ignoring spaces)."""
    before = {material_key(m): m for m in old}
    after = {material_key(m): m for m in new}
    found = [Difference("新增材料", new=m.name) for k, m in after.items() if k not in before]
    found += [Difference("删除材料", old=m.name) for k, m in before.items() if k not in after]
    for key, material in after.items():
        previous = before.get(key)
        if previous is None or previous == material:
            continue
        for name in MATERIAL_ATTRIBUTES:
            was, now = getattr(previous, name), getattr(material, name)
            if was != now:
                found.append(
                    Difference(
                        f"材料“{material.name}”的{_title(Material, name)}",
                        _material_value(name, was),
                        _material_value(name, now),
                    )
                )
        rest = _changed_fields(previous, material, {*MATERIAL_ATTRIBUTES, "name"})
        if rest:
            titles = "、".join(_title(Material, name) for name in rest)
            found.append(Difference(f"材料“{material.name}”的其他内容", new=titles))
    return found


def _material_value(name: str, value: Any) -> str:
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


def compare_items(old: Catalog, new: Catalog) -> tuple[list[EntryChange], dict[str, str]]:
    """Item changes, and the old id → new id pairing (used to compare bundles)."""
    pairs, lost, found = _match(old.items, new.items, [lambda i: i.implementation_code])
    changes: list[EntryChange] = []
    by_new = {new_id: old_id for old_id, new_id in pairs.items()}
    for new_id, item in new.items.items():
        new_path = _relative(new, new.item_paths.get(new_id))
        if new_id in found:
            changes.append(
                EntryChange(
                    new_id,
                    item.name,
                    "added",
                    path=new_path,
                    state=_item_state(item),
                    publication="published" if item.published else None,
                    visible=item.published,
                )
            )
            continue
        previous = old.items[by_new[new_id]]
        old_path = _relative(old, old.item_paths.get(previous.id))
        if previous == item and old_path == new_path:
            continue
        details = item_differences(previous, item, old_path, new_path, (old, new))
        if not details:
            continue
        changes.append(
            EntryChange(
                new_id,
                item.name,
                "changed",
                path=new_path,
                state=_item_state(item),
                publication=_publication(previous.published, item.published),
                visible=previous.published or item.published,
                details=tuple(details),
            )
        )
    for old_id in lost:
        item = old.items[old_id]
        changes.append(
            EntryChange(
                old_id,
                item.name,
                "removed",
                path=_relative(old, old.item_paths.get(old_id)),
                state=_item_state(item),
                publication="unpublished" if item.published else None,
                visible=item.published,
            )
        )
    return changes, pairs


# ---------------------------------------------------------------- bundles


def _bundle_state(bundle: Bundle) -> str:
    return "已发布" if bundle.published else "未发布"


def _item_label(catalog: Catalog, item_id: str) -> str:
    item = catalog.items.get(item_id)
    return f"{item.name}（{item_id}）" if item else item_id


def bundle_differences(
    old_catalog: Catalog,
    new_catalog: Catalog,
    old: Bundle,
    new: Bundle,
    item_pairs: dict[str, str],
    old_path: str = "",
    new_path: str = "",
) -> list[Difference]:
    found: list[Difference] = []
    if old.name != new.name:
        found.append(Difference("一件事名称", old.name, new.name))
    if old.id != new.id:
        found.append(Difference("一件事标识", f"{old.id}（{old_path}）", f"{new.id}（{new_path}）"))
    elif old_path != new_path:
        found.append(Difference("文件位置", old_path, new_path))
    if old.published != new.published:
        found.append(Difference("是否发布", _bundle_state(old), _bundle_state(new)))
    before = [item_pairs.get(s.item) for s in old.sub_items]
    after = [s.item for s in new.sub_items]
    for item_id in after:
        if item_id not in before:
            found.append(Difference("新增子项", new=_item_label(new_catalog, item_id)))
    for sub in old.sub_items:
        if item_pairs.get(sub.item) not in after:
            found.append(Difference("移除子项", old=_item_label(old_catalog, sub.item)))
    conditions = {item_pairs.get(s.item): s.when for s in old.sub_items}
    for sub in new.sub_items:
        if sub.item in conditions and conditions[sub.item] != sub.when:
            found.append(
                Difference(
                    f"子项“{_item_label(new_catalog, sub.item)}”的适用情形",
                    _material_value("when", conditions[sub.item]),
                    _material_value("when", sub.when),
                )
            )
    skip = {"id", "name", "published", "sub_items"}
    found.extend(generic_differences(old, new, skip, _namer(old_catalog, new_catalog)))
    return found


def compare_bundles(old: Catalog, new: Catalog, item_pairs: dict[str, str]) -> list[EntryChange]:
    def composition(bundle: Bundle, mapped: bool) -> frozenset[str]:
        ids = (item_pairs.get(s.item, s.item) if mapped else s.item for s in bundle.sub_items)
        return frozenset(ids)

    pairs, lost, found = _match(old.bundles, new.bundles, [lambda b: b.name])
    # Third chance: the same sub-items under a new id and name.
    old_sets = {i: composition(old.bundles[i], True) for i in lost}
    for new_id in list(found):
        wanted = composition(new.bundles[new_id], False)
        match = next((i for i in lost if old_sets[i] == wanted), None)
        if match is not None:
            pairs[match] = new_id
            lost.remove(match)
            found.remove(new_id)
    by_new = {new_id: old_id for old_id, new_id in pairs.items()}
    changes: list[EntryChange] = []
    for new_id, bundle in new.bundles.items():
        new_path = _relative(new, new.bundle_paths.get(new_id))
        if new_id in found:
            changes.append(
                EntryChange(
                    new_id,
                    bundle.name,
                    "added",
                    path=new_path,
                    state=_bundle_state(bundle),
                    publication="published" if bundle.published else None,
                    visible=bundle.published,
                    savings_new=savings(new, bundle),
                )
            )
            continue
        previous = old.bundles[by_new[new_id]]
        old_path = _relative(old, old.bundle_paths.get(previous.id))
        details = bundle_differences(old, new, previous, bundle, item_pairs, old_path, new_path)
        before, after = savings(old, previous), savings(new, bundle)
        if not details and before == after:
            continue
        changes.append(
            EntryChange(
                new_id,
                bundle.name,
                "changed",
                path=new_path,
                state=_bundle_state(bundle),
                publication=_publication(previous.published, bundle.published),
                visible=previous.published or bundle.published,
                details=tuple(details),
                savings_old=before if before != after else None,
                savings_new=after if before != after else None,
            )
        )
    for old_id in lost:
        bundle = old.bundles[old_id]
        changes.append(
            EntryChange(
                old_id,
                bundle.name,
                "removed",
                path=_relative(old, old.bundle_paths.get(old_id)),
                state=_bundle_state(bundle),
                publication="unpublished" if bundle.published else None,
                visible=bundle.published,
            )
        )
    return changes


# ---------------------------------------------------------------- windows, calendar, the rest


def window_differences(old: Window, new: Window) -> list[Difference]:
    found: list[Difference] = []
    if old.name != new.name:
        found.append(Difference("窗口名称", old.name, new.name))
    if old.hours != new.hours:
        found.append(Difference("工作日办公时间", periods_text(old.hours), periods_text(new.hours)))
    if old.flexible != new.flexible:
        found.append(
            Difference("早晚弹性办", flexible_text(old.flexible), flexible_text(new.flexible))
        )
    if old.weekend != new.weekend:
        found.append(
            Difference("双休日不打烊", periods_text(old.weekend), periods_text(new.weekend))
        )
    found.extend(generic_differences(old, new, skip={"id", "name", "hours", "flexible", "weekend"}))
    return found


def compare_windows(old: Catalog, new: Catalog) -> list[EntryChange]:
    changes: list[EntryChange] = []
    for window_id, window in new.windows.items():
        previous = old.windows.get(window_id)
        if previous is None:
            details = (
                Difference("工作日办公时间", new=periods_text(window.hours)),
                Difference("双休日不打烊", new=periods_text(window.weekend)),
            )
            changes.append(
                EntryChange(window_id, window.name, "added", "places.yml", details=details)
            )
        elif previous != window:
            details = tuple(window_differences(previous, window))
            changes.append(
                EntryChange(window_id, window.name, "changed", "places.yml", details=details)
            )
    for window_id, window in old.windows.items():
        if window_id not in new.windows:
            changes.append(EntryChange(window_id, window.name, "removed", "places.yml"))
    return changes


def _days(days_list: list[CalendarDay]) -> dict[dt.date, str]:
    return {d.date: d.name for d in days_list}


def compare_calendar(old: Catalog, new: Catalog) -> list[Difference]:
    found: list[Difference] = []
    for attribute, label in (("holidays", "放假日期"), ("workdays", "调休上班日期")):
        before = _days(getattr(old.calendar_overrides, attribute))
        after = _days(getattr(new.calendar_overrides, attribute))
        for day in sorted(after.keys() - before.keys()):
            found.append(Difference(f"新增{label}", new=f"{day.isoformat()} {after[day]}"))
        for day in sorted(before.keys() - after.keys()):
            found.append(Difference(f"删除{label}", old=f"{day.isoformat()} {before[day]}"))
        for day in sorted(before.keys() & after.keys()):
            if before[day] != after[day]:
                found.append(
                    Difference(f"{label} {day.isoformat()} 的说明", before[day], after[day])
                )
    return found


def _compare_entries(
    kind: str, path: str, old: dict[str, BaseModel], new: dict[str, BaseModel]
) -> Iterator[EntryChange]:
    for entry_id, entry in new.items():
        name = f"{kind}：{getattr(entry, 'name', entry_id)}"
        previous = old.get(entry_id)
        if previous is None:
            yield EntryChange(entry_id, name, "added", path)
        elif previous != entry:
            details = tuple(generic_differences(previous, entry, skip={"id"}))
            yield EntryChange(entry_id, name, "changed", path, details=details)
    for entry_id, entry in old.items():
        if entry_id not in new:
            yield EntryChange(
                entry_id, f"{kind}：{getattr(entry, 'name', entry_id)}", "removed", path
            )


def compare_other(old: Catalog, new: Catalog) -> list[EntryChange]:
    changes: list[EntryChange] = []
    if old.settings != new.settings:
        details = tuple(generic_differences(old.settings, new.settings))
        changes.append(
            EntryChange("settings", "网站设置", "changed", "settings.yml", details=details)
        )
    changes.extend(_compare_entries("大厅", "places.yml", old.halls, new.halls))  # type: ignore[arg-type]
    changes.extend(_compare_entries("部门", "departments.yml", old.departments, new.departments))  # type: ignore[arg-type]
    changes.extend(_compare_entries("主题", "themes.yml", old.themes, new.themes))  # type: ignore[arg-type]
    return changes


def compare(old: Catalog, new: Catalog) -> CatalogChanges:
    """Everything that differs between ``old`` and ``new``, in plain words."""
    items, item_pairs = compare_items(old, new)
    return CatalogChanges(
        items=tuple(items),
        bundles=tuple(compare_bundles(old, new, item_pairs)),
        windows=tuple(compare_windows(old, new)),
        calendar=tuple(compare_calendar(old, new)),
        other=tuple(compare_other(old, new)),
    )
