"""Render a :class:`CatalogChanges` as plain Chinese Markdown for a pull-request comment."""

from __future__ import annotations

import re

from ..bundling import Change, Savings
from .changes import CatalogChanges, Difference, EntryChange

MARKER = "<!-- banshi-catalog-diff -->"
"""First line of every comment, so the catalog workflow can find and update its own comment."""

SAVINGS_ROWS = (
    ("steps", "办理环节", "个"),
    ("materials", "申请材料", "份"),
    ("days", "办结时限", "个工作日"),
    ("trips", "跑动次数", "次"),
    ("departments", "对接部门", "个"),
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Text from the catalog, safe inside Markdown (no markup, no HTML)."""
    return _SPECIAL.sub(r"\\\1", text)


def difference_line(diff: Difference) -> str:
    if diff.old is not None and diff.new is not None:
        text = f"{diff.what}：{escape(diff.old)} → {escape(diff.new)}"
    else:
        text = f"{diff.what}：{escape(diff.new if diff.new is not None else diff.old or '')}"
    if diff.note:
        text += f"（{escape(diff.note)}）"
    return text


def _label(entry: EntryChange) -> str:
    text = f"**{escape(entry.name)}**（`{entry.id}`）"
    if not entry.visible:
        text += "（未发布，群众看不到）"
    return text


def _savings_change(change: Change, unit: str) -> str:
    return f"分别办 {change.before} {unit}、一件事 {change.after} {unit}"


def savings_summary(savings: Savings) -> str:
    """All five figures on one line, e.g. ``办理环节 16 → 4 个，申请材料 9 → 2 份，…``."""
    parts = []
    for attribute, label, unit in SAVINGS_ROWS:
        change: Change = getattr(savings, attribute)
        parts.append(f"{label} {change.before} → {change.after} {unit}")
    return "，".join(parts) + "。"


def savings_lines(old: Savings, new: Savings) -> list[str]:
    """One line per figure that changed."""
    lines = []
    for attribute, label, unit in SAVINGS_ROWS:
        before: Change = getattr(old, attribute)
        after: Change = getattr(new, attribute)
        if before != after:
            lines.append(
                f"{label}：{_savings_change(before, unit)} → {_savings_change(after, unit)}"
            )
    return lines


def _entry_block(entry: EntryChange, skip: set[str] = frozenset()) -> list[str]:
    lines = [f"- {_label(entry)}"]
    for diff in entry.details:
        if diff.what not in skip:
            lines.append(f"  - {difference_line(diff)}")
    if entry.savings_old is not None and entry.savings_new is not None:
        lines.append("  - 减负效果有变化：")
        lines.extend(
            f"    - {line}" for line in savings_lines(entry.savings_old, entry.savings_new)
        )
    return lines


STATUS_FIELDS = {"事项状态", "是否发布"}


def grouped(entries: tuple[EntryChange, ...]) -> dict[str, list[EntryChange]]:
    """Items or bundles by what happened; a published entry with other changes is in both."""
    moved = [e for e in entries if e.action == "changed"]
    return {
        "added": [e for e in entries if e.action == "added"],
        "removed": [e for e in entries if e.action == "removed"],
        "published": [e for e in moved if e.publication == "published"],
        "unpublished": [e for e in moved if e.publication == "unpublished"],
        "changed": [
            e
            for e in moved
            if e.savings_new is not None or any(d.what not in STATUS_FIELDS for d in e.details)
        ],
    }


def _catalog_entries(title: str, entries: tuple[EntryChange, ...], noun: str) -> list[str]:
    """The section for items or bundles: added, removed, published, unpublished, changed."""
    if not entries:
        return []
    lines = [f"### {title}", ""]
    groups = grouped(entries)
    added, removed = groups["added"], groups["removed"]
    published, unpublished = groups["published"], groups["unpublished"]
    changed = groups["changed"]
    if added:
        lines += [f"#### 新增{noun}（{len(added)}）", ""]
        for entry in added:
            shown = (
                "已发布，将在网站上显示。"
                if entry.visible
                else f"状态为“{entry.state}”，暂不在网站上显示。"
            )
            lines.append(f"- **{escape(entry.name)}**（`{entry.id}`，{entry.path}）：{shown}")
            lines.extend(f"  - {difference_line(diff)}" for diff in entry.details)
            if entry.savings_new is not None:
                lines.append(
                    f"  - 减负效果（分别办 → 一件事）：{savings_summary(entry.savings_new)}"
                )
        lines.append("")
    if removed:
        lines += [f"#### 删除{noun}（{len(removed)}）", ""]
        for entry in removed:
            shown = (
                "原已发布，将从网站上撤下。"
                if entry.visible
                else f"原状态为“{entry.state}”，网站上本来就没有。"
            )
            lines.append(f"- **{escape(entry.name)}**（`{entry.id}`，{entry.path}）：{shown}")
        lines.append("")
    for group, heading, tail in (
        (published, "发布", "将在网站上显示。"),
        (unpublished, "撤下", "将从网站上撤下。"),
    ):
        if not group:
            continue
        lines += [f"#### {heading}{noun}（{len(group)}）", ""]
        for entry in group:
            status = next(d for d in entry.details if d.what in STATUS_FIELDS)
            lines.append(
                f"- **{escape(entry.name)}**（`{entry.id}`）：{status.old} → {status.new}，{tail}"
            )
        lines.append("")
    if changed:
        lines += [f"#### 修改{noun}（{len(changed)}）", ""]
        for entry in changed:
            lines += _entry_block(entry, skip=STATUS_FIELDS if entry.publication else set())
        lines.append("")
    return lines


def _simple_entries(
    title: str, entries: tuple[EntryChange, ...], nouns: dict[str, str]
) -> list[str]:
    if not entries:
        return []
    lines = [f"### {title}", ""]
    for entry in entries:
        verb = nouns.get(entry.action, "")
        head = f"- {verb}{_label(entry)}" if verb else f"- {_label(entry)}"
        lines.append(head)
        lines.extend(f"  - {difference_line(d)}" for d in entry.details)
    lines.append("")
    return lines


GROUP_LABELS = (
    ("added", "新增"),
    ("removed", "删除"),
    ("published", "发布"),
    ("unpublished", "撤下"),
    ("changed", "修改"),
)


def summary(changes: CatalogChanges) -> str:
    parts = []
    for title, entries in (("事项", changes.items), ("一件事", changes.bundles)):
        counts = []
        groups = grouped(entries)
        for key, label in GROUP_LABELS:
            if groups[key]:
                counts.append(f"{label} {len(groups[key])} 个")
        if counts:
            parts.append(f"{title}{'、'.join(counts)}")
    if changes.windows:
        parts.append(f"窗口和办公时间变化 {len(changes.windows)} 处")
    if changes.calendar:
        parts.append(f"工作日日历变化 {len(changes.calendar)} 处")
    if changes.other:
        parts.append(f"其他变化 {len(changes.other)} 处")
    return "；".join(parts) + "。"


def render(changes: CatalogChanges, base: str, head: str) -> str:
    """The whole comment: a summary line, then one section per kind of change."""
    lines = [MARKER, f"## 事项目录变更：`{base}` → `{head}`", ""]
    if changes.empty:
        lines += ["两个版本的事项目录内容相同，群众看到的办事指南不会变化。"]
        return "\n".join(lines) + "\n"
    lines += [f"概要：{summary(changes)}", ""]
    lines += _catalog_entries("事项", changes.items, "事项")
    lines += _catalog_entries("一件事", changes.bundles, "一件事")
    lines += _simple_entries(
        "窗口和办公时间", changes.windows, {"added": "新增窗口 ", "removed": "撤销窗口 "}
    )
    if changes.calendar:
        lines += ["### 工作日日历（calendar.yml）", ""]
        lines += [f"- {difference_line(d)}" for d in changes.calendar]
        lines.append("")
    lines += _simple_entries("其他", changes.other, {"added": "新增 ", "removed": "删除 "})
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
