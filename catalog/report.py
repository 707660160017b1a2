"""``build.py check``: print every problem as ``path:line:col: message`` and choose the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .loader import read_catalog
from .problems import Problem
from .schema import stale_schemas, write_schemas


def run_check(root: Path, *, write_schema: bool = False, out: TextIO | None = None) -> int:
    """Check the catalog at ``root``. Returns 0 when valid, 1 when it has errors."""
    out = out or sys.stdout
    if write_schema and root.is_dir():
        for path in write_schemas(root):
            print(f"已生成 {path}", file=out)
    catalog, problems = read_catalog(root)
    if catalog is not None:
        stale = stale_schemas(root)
        if stale:
            problems.append(
                Problem(
                    root / "schema",
                    (),
                    f"编辑器自动补全用的 JSON Schema 已过期（{'、'.join(stale)}）。请运行 python build.py check --write-schema 重新生成。",
                    warning=True,
                    line=1,
                    column=1,
                )
            )
    base = Path.cwd()
    for problem in problems:
        print(_relative(problem.format(), base), file=out)
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    if catalog is None:
        print(
            f"检查未通过：{errors} 处错误，{warnings} 处警告。请按上面的提示逐条修改后再运行 python build.py check。",
            file=out,
        )
        return 1
    print(
        f"检查通过：{len(catalog.items)} 个事项、{len(catalog.bundles)} 个一件事、{len(catalog.departments)} 个部门、{len(catalog.windows)} 个主题窗口；{warnings} 处警告。",
        file=out,
    )
    return 0


def _relative(line: str, base: Path) -> str:
    prefix = f"{base}/"
    return line[len(prefix) :] if line.startswith(prefix) else line
