"""The 改革成效 figures of the statistics page: the catalog against its reform baseline.

The baseline (``reform_baseline`` in settings.yml: a date, tag or commit) is read from the
catalog's git history with the same export as ``build.py diff``. A catalog outside git, or a
baseline git does not know, gives no section; the second case logs a warning naming the fix.
"""

from __future__ import annotations

import functools
import logging
import subprocess
import tempfile
from pathlib import Path

from catalog import Catalog
from catalog.diff.revisions import RevisionError, export, fast_temp_dir, repository_of, resolve
from catalog.loader import read_catalog
from catalog.reform import ReformReport, compare_reform

log = logging.getLogger("banshi.site")


@functools.lru_cache(maxsize=4)
def _baseline(repo: Path, commit: str, relative: str) -> Catalog | None:
    """The catalog at ``commit``, loaded once per process (``serve`` rebuilds often)."""
    with tempfile.TemporaryDirectory(prefix="banshi-reform-", dir=fast_temp_dir()) as tmp:
        root = export(repo, commit, relative, Path(tmp))
        catalog, _ = read_catalog(root)
    return catalog


def reform_report(catalog: Catalog) -> ReformReport | None:
    """The reform report from ``settings.reform_baseline`` to ``catalog``; None without one."""
    baseline = catalog.settings.reform_baseline
    if not baseline:
        return None
    try:
        repo, relative = repository_of(catalog.root)
    except RevisionError:
        log.info("事项目录不在 git 仓库中，数据统计页不显示改革成效。")
        return None
    try:
        commit = resolve(repo, baseline)
        old = _baseline(repo, commit, relative)
    except RevisionError as exc:
        log.warning("settings.yml 的 reform_baseline：%s 数据统计页暂不显示改革成效。", exc.message)
        return None
    if old is None:
        log.warning(
            "settings.yml 的 reform_baseline：基准版本 %s 的事项目录有错误，无法比较，数据统计页暂不显示改革成效。请改用一个通过检查的版本。",
            baseline,
        )
        return None
    return compare_reform(old, catalog, _day(repo, commit), "当前")


def _day(repo: Path, commit: str) -> str:
    """The baseline as citizens read it: the day of its commit, such as “2026年11月25日”."""
    shown = subprocess.run(
        ["git", "-C", str(repo), "show", "-s", "--format=%cs", commit],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    year, month, day = (int(part) for part in shown.split("-"))
    return f"{year}年{month}月{day}日"
