"""``build.py synth``: a synthetic catalog of the real district's size, for scale and benchmarks.

``run_synth(out, items=5654, bundles=75, seed=1)`` writes a complete catalog directory that
``build.py check`` accepts, with the seed article's proportions: 90 public service / 512 on
application / 5,052 ex officio items; 75 bundles with 167 sub-items, all published, every
sub-item a published item; "502 claimed, 428 compiled and published" read as 428 已发布 +
74 已认领 (claimed, not yet compiled; none left at 已编制) and 5,152 未认领. Other sizes scale
these with largest-remainder rounding (see :mod:`.plan`).

The same arguments always give byte-identical files: every random choice comes from
``random.Random`` seeded from ``seed``, and no date comes from the clock.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from .. import downloads
from ..schema import write_schemas
from .bundles import NotEnoughItems, make_bundles
from .guide import ex_officio_item, service_item
from .places import (
    DEPARTMENTS,
    calendar_file,
    departments_file,
    places_file,
    settings_file,
    themes_file,
)
from .plan import make_plan

__all__ = ["MARKER", "run_synth"]

try:
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Dumper = yaml.SafeDumper

MARKER = ".banshi-synth"
"""File that marks a directory as synth output, so a later run may replace it."""

SINGLE_FILES = {
    "settings.yml": settings_file,
    "departments.yml": departments_file,
    "places.yml": places_file,
    "themes.yml": themes_file,
    "calendar.yml": calendar_file,
}
OWNED = (*SINGLE_FILES, "items", "bundles", "schema", downloads.FOLDER, MARKER)
"""Everything synth writes in the output directory, and so removes before writing again."""


def _dump(path: Path, schema: str, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def _prepare(out: Path, force: bool, err: TextIO) -> bool:
    """Empty ``out`` of earlier synth output; False (after explaining) if it holds other files."""
    if out.exists() and not out.is_dir():
        print(f"错误：“{out}”是一个文件，不是目录。请用 --out 指定一个目录。", file=err)
        return False
    if out.is_dir() and any(out.iterdir()):
        if not force and not (out / MARKER).is_file():
            print(
                f"错误：目录“{out}”不是空的，也不是 synth 以前生成的目录，为避免覆盖其中的文件，已停止。"
                "请换一个空目录，或加上 --force 覆盖（会删除其中的 items/、bundles/、schema/ 和目录文件）。"
                f" / Refusing to overwrite non-empty directory {out} that is not synth output;"
                " choose an empty directory or pass --force.",
                file=err,
            )
            return False
        for name in OWNED:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    return True


def run_synth(
    out: Path,
    *,
    items: int,
    bundles: int,
    seed: int,
    force: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Write the synthetic catalog into ``out``. Returns 0, or 2 on a usage error."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if items < 1 or bundles < 0:
        print(
            "错误：--items 至少为 1，--bundles 不能为负数。请改正后重试，例如 --items 5654 --bundles 75。",
            file=stderr,
        )
        return 2
    plan = make_plan(items, bundles, seed)
    published = [slot for slot in plan.slots if slot.status == "已发布"]
    try:
        bundle_data = make_bundles(
            bundles, plan.sub_items, published, random.Random(f"{seed}:bundles")
        )
    except NotEnoughItems as exc:
        print(f"错误：{exc}", file=stderr)
        return 2
    out = Path(out)
    if not _prepare(out, force, stderr):
        return 2

    for name, make in SINGLE_FILES.items():
        _dump(out / name, f"schema/{name.replace('.yml', '.schema.json')}", make())
    write_schemas(out)
    (out / "items").mkdir()
    files: dict[str, None] = {}
    for slot in plan.slots:
        data = ex_officio_item(slot, seed) if slot.kind == "依职权" else service_item(slot, seed)
        _dump(out / "items" / f"{slot.id}.yml", "../schema/item.schema.json", data)
        for material in data.get("materials", []):
            for key in ("blank_form", "sample"):
                if material.get(key):
                    files.setdefault(material[key], None)
    (out / downloads.FOLDER).mkdir()
    for name in files:
        downloads.path(out, name).write_bytes(downloads.placeholder(name))
    (out / "bundles").mkdir()
    for bundle in bundle_data:
        _dump(out / "bundles" / f"{bundle['id']}.yml", "../schema/bundle.schema.json", bundle)
    marker = {
        "generator": "python build.py synth",
        "items": items,
        "bundles": bundles,
        "seed": seed,
    }
    (out / MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n", encoding="utf-8")

    kinds, statuses = plan.kind_counts, plan.status_counts
    print(
        f"已生成合成目录 {out}：{items} 个事项（公共服务 {kinds['公共服务']}、依申请 {kinds['依申请']}、"
        f"依职权 {kinds['依职权']}；已发布 {statuses['已发布']}、已认领 {statuses['已认领']}、"
        f"未认领 {statuses['未认领']}），{bundles} 个一件事（共 {plan.sub_items} 个子项），"
        f"{len(DEPARTMENTS)} 个部门，种子 {seed}。",
        file=stdout,
    )
    return 0
