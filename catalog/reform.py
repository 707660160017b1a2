"""The 四减 reform report: what a reform changed, computed from two catalog revisions.

Reports of a 四减两优 reform ("事项办理流程压缩 5%，申请材料压缩 8%，办理时限压缩 22%") are usually
typed by hand. Here they are computed from the catalog before and after. The definitions,
written down for editors in ``docs/editors/reform.md``:

- only items **published in both** revisions are compared (matched by id), so the percentages
  compare like with like; items published only in one revision are listed apart;
- a **step** (环节) is one entry of ``process``;
- a **material** (申请材料) counts when the citizen must bring it: ``required: true`` and not
  ``exempt`` (免提交 by e-certificate or data sharing); situational materials count once;
- the **time limit** is the promised time limit (承诺办结时限) in working days;
- a **trip** (跑动次数) is one unit of ``visits``; 最多跑一次 is ``visits ≤ 1``, 零跑动 ``visits = 0``;
- a reduction is ``(before − after) / before`` of the totals, as a percentage.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .catalog import Catalog
from .diff.revisions import RevisionsUnavailable, loaded_revisions
from .item import Item

MEASURES = {"steps": "办理环节", "materials": "申请材料", "days": "承诺时限", "trips": "跑动次数"}
"""The four reduced quantities (四减), in report order, with their Chinese names."""
UNITS = {"steps": "个", "materials": "份", "days": "个工作日", "trips": "次"}


def must_bring(item: Item) -> int:
    """The materials a citizen must bring: required, not exempted by sharing or e-certificates."""
    return sum(1 for m in item.materials if m.required and not m.exempt)


@dataclass(frozen=True)
class Totals:
    """The four measures summed over a group of items, and the trip shares."""

    items: int = 0
    steps: int = 0
    materials: int = 0
    days: int = 0
    trips: int = 0
    at_most_one_trip: int = 0
    zero_trips: int = 0

    @classmethod
    def of(cls, items: Iterable[Item]) -> Totals:
        items = list(items)
        return cls(
            items=len(items),
            steps=sum(len(i.process) for i in items),
            materials=sum(must_bring(i) for i in items),
            days=sum(i.time_limit.promised_days for i in items),
            trips=sum(i.visits for i in items),
            at_most_one_trip=sum(1 for i in items if i.visits <= 1),
            zero_trips=sum(1 for i in items if i.visits == 0),
        )


def reduction(before: int, after: int) -> float | None:
    """``(before − after) / before`` in percent, one decimal; ``None`` when before is 0."""
    return round(100 * (before - after) / before, 1) if before else None


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Comparison:
    """The same items measured before and after."""

    before: Totals
    after: Totals

    def reduction(self, measure: str) -> float | None:
        return reduction(getattr(self.before, measure), getattr(self.after, measure))

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"items": self.after.items}
        for measure in MEASURES:
            data[measure] = {
                "before": getattr(self.before, measure),
                "after": getattr(self.after, measure),
                "reduction_percent": self.reduction(measure),
            }
        for name in ("at_most_one_trip", "zero_trips"):
            data[f"{name}_percent"] = {
                "before": share(getattr(self.before, name), self.before.items),
                "after": share(getattr(self.after, name), self.after.items),
            }
        return data


@dataclass(frozen=True)
class Entry:
    id: str
    name: str


@dataclass(frozen=True)
class ReformReport:
    base: str
    head: str
    overall: Comparison
    by_department: dict[str, Comparison]
    by_theme: dict[str, Comparison]
    by_kind: dict[str, Comparison]
    added: list[Entry] = field(default_factory=list)
    """Items published in HEAD only: not part of the percentages."""
    removed: list[Entry] = field(default_factory=list)
    """Items published in BASE only: not part of the percentages."""
    bundles: tuple[int, int] = (0, 0)
    """Published bundles (一件事) before → after."""
    sub_items: tuple[int, int] = (0, 0)
    """Sub-items of the published bundles before → after."""

    def as_dict(self) -> dict[str, object]:
        return {
            "base": self.base,
            "head": self.head,
            "overall": self.overall.as_dict(),
            "by_department": {k: v.as_dict() for k, v in self.by_department.items()},
            "by_theme": {k: v.as_dict() for k, v in self.by_theme.items()},
            "by_kind": {k: v.as_dict() for k, v in self.by_kind.items()},
            "added_items": [{"id": e.id, "name": e.name} for e in self.added],
            "removed_items": [{"id": e.id, "name": e.name} for e in self.removed],
            "bundles": {"before": self.bundles[0], "after": self.bundles[1]},
            "bundle_sub_items": {"before": self.sub_items[0], "after": self.sub_items[1]},
        }


def _grouped(
    pairs: list[tuple[Item, Item]],
    keys_of: Callable[[Item], list[str]],
    label_of: Callable[[str], str],
) -> dict[str, Comparison]:
    groups: dict[str, list[tuple[Item, Item]]] = defaultdict(list)
    for old, new in pairs:
        for key in keys_of(new):
            groups[key].append((old, new))
    return {
        label_of(key): Comparison(
            Totals.of(o for o, _ in members), Totals.of(n for _, n in members)
        )
        for key, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }


def compare_reform(
    old: Catalog, new: Catalog, base: str = "BASE", head: str = "HEAD"
) -> ReformReport:
    """Measure the items published in both catalogs; list the others apart (pure)."""
    old_published = {i.id: i for i in old.published_items()}
    new_published = {i.id: i for i in new.published_items()}
    pairs = [(old_published[k], new_published[k]) for k in new_published if k in old_published]

    def department(key: str) -> str:
        found = new.departments.get(key) or old.departments.get(key)
        return found.short_name if found else key

    def theme(key: str) -> str:
        found = new.themes.get(key) or old.themes.get(key)
        return found.name if found else key

    old_bundles, new_bundles = old.published_bundles(), new.published_bundles()
    return ReformReport(
        base=base,
        head=head,
        overall=Comparison(Totals.of(o for o, _ in pairs), Totals.of(n for _, n in pairs)),
        by_department=_grouped(pairs, lambda i: [i.department], department),
        by_theme=_grouped(pairs, lambda i: i.themes or ["(未归入主题)"], theme),
        by_kind=_grouped(pairs, lambda i: [i.kind.value], str),
        added=[Entry(i.id, i.name) for k, i in new_published.items() if k not in old_published],
        removed=[Entry(i.id, i.name) for k, i in old_published.items() if k not in new_published],
        bundles=(len(old_bundles), len(new_bundles)),
        sub_items=(
            sum(len(b.sub_items) for b in old_bundles),
            sum(len(b.sub_items) for b in new_bundles),
        ),
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _cell(comparison: Comparison, measure: str) -> str:
    before, after = getattr(comparison.before, measure), getattr(comparison.after, measure)
    return f"{before} → {after}（{_pct(comparison.reduction(measure))}）"


def _table(title: str, header: str, rows: dict[str, Comparison]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        f"| {header} | 事项数 | " + " | ".join(MEASURES.values()) + " |",
        "|---|---:|" + "---:|" * len(MEASURES),
    ]
    for label, comparison in rows.items():
        cells = " | ".join(_cell(comparison, m) for m in MEASURES)
        lines.append(f"| {label} | {comparison.after.items} | {cells} |")
    return [*lines, ""]


def _entries(title: str, entries: list[Entry], limit: int = 20) -> list[str]:
    if not entries:
        return []
    shown = "、".join(f"{e.name}（{e.id}）" for e in entries[:limit])
    more = f" 等，共 {len(entries)} 项" if len(entries) > limit else ""
    return [f"- {title} {len(entries)} 项：{shown}{more}"]


def render_markdown(report: ReformReport) -> str:
    """The report as Chinese Markdown, for a report or a pull-request comment (pure)."""
    o = report.overall
    lines = [
        f"## 改革成效：{report.base} → {report.head}",
        "",
        f"比较两个版本中都已发布的 {o.after.items} 个事项（新增和下线的事项单独列出，不计入百分比）。",
        "",
        "| 指标 | 改革前 | 改革后 | 压缩 |",
        "|---|---:|---:|---:|",
    ]
    for measure, name in MEASURES.items():
        unit = UNITS[measure]
        before, after = getattr(o.before, measure), getattr(o.after, measure)
        lines.append(
            f"| {name}（合计） | {before} {unit} | {after} {unit} | {_pct(o.reduction(measure))} |"
        )
    for name, label in (("at_most_one_trip", "最多跑一次"), ("zero_trips", "零跑动")):
        before = share(getattr(o.before, name), o.before.items)
        after = share(getattr(o.after, name), o.after.items)
        lines.append(f"| {label}事项占比 | {_pct(before)} | {_pct(after)} | |")
    lines += [
        f"| 一件事一次办（已发布） | {report.bundles[0]} 件 | {report.bundles[1]} 件 | |",
        f"| 一件事的子项 | {report.sub_items[0]} 个 | {report.sub_items[1]} 个 | |",
        "",
    ]
    listed = _entries("新增发布", report.added) + _entries("不再发布", report.removed)
    if listed:
        lines += [*listed, ""]
    lines += _table("按实施部门", "部门", report.by_department)
    lines += _table("按主题", "主题", report.by_theme)
    lines += _table("按事项类别", "类别", report.by_kind)
    lines.append(
        "口径：环节数为办理流程的环节；申请材料只计必须提交且未免提交的材料；"
        "时限为承诺办结时限（工作日）；跑动次数为到现场次数。"
    )
    return "\n".join(lines) + "\n"


def run_reform(
    base: str,
    head: str | None,
    catalog_dir: Path,
    *,
    output: str = "markdown",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the reform report between two revisions (git revisions or dates) of the catalog.

    Exit codes as ``build.py diff``: 0 ok, 1 a revision's catalog is invalid, 2 usage error.
    """
    out = out or sys.stdout
    try:
        with loaded_revisions("reform", base, head, catalog_dir, err or sys.stderr) as loaded:
            old, new, head_label = loaded
            report = compare_reform(old, new, base, head_label)
    except RevisionsUnavailable as exc:
        return exc.code
    if output == "json":
        json.dump(report.as_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(render_markdown(report))
    return 0
