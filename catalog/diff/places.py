"""Changes of windows and their hours, the working-day calendar, and the other files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from pydantic import BaseModel

from ..catalog import Catalog
from ..place import Window
from ..settings import CalendarDay
from .changes import Difference, EntryChange
from .wording import flexible_text, generic_differences, periods_text


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
    kind: str, path: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel]
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
    changes.extend(_compare_entries("大厅", "places.yml", old.halls, new.halls))
    changes.extend(_compare_entries("部门", "departments.yml", old.departments, new.departments))
    changes.extend(_compare_entries("主题", "themes.yml", old.themes, new.themes))
    return changes
