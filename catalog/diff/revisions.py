"""``build.py diff``: read the catalog at two git revisions, compare, print Markdown.

A revision's catalog is written by git into a temporary folder (see :func:`export`) and loaded
with the ordinary loader, so the diff sees exactly what ``check`` would see at that commit.
Without a HEAD revision the working tree is compared, uncommitted edits included.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ..catalog import Catalog
from ..loader import ParseMemo, read_catalog
from .comparison import compare
from .markdown import render

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A revision written as a date."""
WORKING_TREE = "工作区"
"""Label of HEAD when the working tree (with uncommitted edits) is compared."""


class RevisionError(Exception):
    """A usage error: no git repository, an unknown revision. Carries a Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _git(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, check=False, env=env
    )


def repository_of(catalog: Path) -> tuple[Path, str]:
    """The git work tree holding ``catalog``, and the catalog's path inside it ("" for the root)."""
    catalog = catalog.resolve()
    probe = catalog
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    found = _git(probe, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise RevisionError(
            f"目录“{catalog}”不在 git 仓库中，无法按修订版本比较。请在事项目录所在的仓库里运行，或用 --catalog 指定仓库中的目录。"
        )
    root = Path(found.stdout.decode().strip()).resolve()
    relative = catalog.relative_to(root).as_posix()
    return root, "" if relative == "." else relative


def resolve(repo: Path, revision: str) -> str:
    """The commit id of ``revision``; :class:`RevisionError` when git does not know it.

    A date (``2026-01-31``) means the last commit of HEAD's first-parent history made on or
    before that day, so reports can name "the catalog as it was on …".
    """
    if revision.startswith("-"):
        raise RevisionError(
            f"“{revision}”不是修订版本。请写分支名、标签、提交号或日期，例如 main 或 2026-01-31。"
        )
    if DATE.fullmatch(revision):
        try:
            dt.date.fromisoformat(revision)
        except ValueError:
            raise RevisionError(
                f"“{revision}”不是有效的日期。请写成 年-月-日，例如 2026-01-31。"
            ) from None
        found = _git(
            repo, "rev-list", "-1", "--first-parent", f"--before={revision}T23:59:59", "HEAD"
        )
        if found.returncode != 0 or not found.stdout.strip():
            raise RevisionError(
                f"{revision} 当天或之前没有提交，无法取那时的事项目录。请写更晚的日期，或直接写提交号。"
            )
        return found.stdout.decode().strip()
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise RevisionError(
            f"找不到修订版本“{revision}”。请写分支名、标签、提交号或日期，例如 main、origin/main、HEAD~1 或 2026-01-31；在 GitHub Actions 中请用 actions/checkout 的 fetch-depth: 0 取回完整历史。"
        )
    return found.stdout.decode().strip()


def export(repo: Path, commit: str, relative: str, target: Path, label: str | None = None) -> Path:
    """Write the catalog folder as it is at ``commit`` under ``target``; return its path there.

    git itself writes the files (``read-tree`` into a private index, then ``checkout-index``),
    so this works the same on every Python ``requires-python`` allows: ``tarfile``'s safe
    extraction filters only exist from Python 3.11.4 on. Symbolic links are written as plain
    files holding the link text (``core.symlinks=false``), so a revision cannot make the diff
    read a file outside the exported folder.

    Raises :class:`RevisionError` when the folder does not exist at that revision.
    """
    tree = commit
    if relative:
        listed = _git(repo, "ls-tree", "-d", "--name-only", commit, "--", relative)
        if not listed.stdout.strip():
            raise RevisionError(
                f"修订版本“{label or commit[:12]}”中没有事项目录 {relative}/，无法比较。请检查 --catalog 和修订版本是否写对。"
            )
        tree = f"{commit}:{relative}"
    destination = target / relative if relative else target
    destination.mkdir(parents=True, exist_ok=True)
    index = {**os.environ, "GIT_INDEX_FILE": str(target.parent / f"{target.name}.index")}
    for args in (
        ("read-tree", tree),
        ("-c", "core.symlinks=false", "checkout-index", "--all", f"--prefix={destination}/"),
    ):
        done = _git(repo, *args, env=index)
        if done.returncode != 0:
            raise RevisionError(
                f"无法从修订版本 {commit[:12]} 读取事项目录：{done.stderr.decode(errors='replace').strip()}"
            )
    return destination


def fast_temp_dir() -> str | None:
    """A memory-backed folder for the exported revisions when the system has one (Linux)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def is_checked_out(repo: Path, commit: str, relative: str) -> bool:
    """True when the working tree's catalog is exactly ``commit``'s (no edits, no extra files)."""
    if _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").stdout.decode().strip() != commit:
        return False
    status = _git(repo, "status", "--porcelain", "--ignored", "--", relative or ".")
    return status.returncode == 0 and not status.stdout.strip()


def _shown_path(path: Path) -> str:
    """``path`` as the editor typed it from the current folder (relative when inside it)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _load(root: Path, label: str, shown_root: str, err: TextIO, memo: ParseMemo) -> Catalog | None:
    catalog, problems = read_catalog(root, memo=memo)
    if catalog is not None:
        return catalog
    print(f"{label} 的事项目录有错误，无法比较：", file=err)
    prefix = f"{root}/"
    for problem in problems:
        if problem.warning:
            continue
        line = problem.format()
        if line.startswith(prefix):
            line = shown_root + line[len(prefix) :]
        print(line, file=err)
    return None


class RevisionsUnavailable(Exception):
    """The two catalogs could not be loaded; the reason was printed. Carries the exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@contextmanager
def loaded_revisions(
    command: str, base: str, head: str | None, catalog_dir: Path, err: TextIO
) -> Iterator[tuple[Catalog, Catalog, str]]:
    """The catalog at ``base`` and at ``head`` (default: the working tree), and HEAD's label.

    Files unchanged between the revisions are parsed and validated once. Prints the reason and
    raises :class:`RevisionsUnavailable` (exit code 2 for usage errors, 1 for an invalid
    catalog) when a revision cannot be compared.
    """
    try:
        repo, relative = repository_of(catalog_dir)
        base_commit = resolve(repo, base)
        head_commit = resolve(repo, head) if head is not None else None
    except RevisionError as exc:
        print(f"build.py {command}: 用法错误：{exc.message}", file=err)
        raise RevisionsUnavailable(2) from None
    shown = f"{relative}/" if relative else ""
    with tempfile.TemporaryDirectory(prefix=f"banshi-{command}-", dir=fast_temp_dir()) as tmp:
        try:
            base_root = export(repo, base_commit, relative, Path(tmp) / "base", base)
            if head_commit is None or is_checked_out(repo, head_commit, relative):
                head_root = catalog_dir.resolve()  # the same files: no need to export them
            else:
                head_root = export(repo, head_commit, relative, Path(tmp) / "head", head)
        except RevisionError as exc:
            print(f"build.py {command}: {exc.message}", file=err)
            raise RevisionsUnavailable(1) from None
        memo = ParseMemo()  # files unchanged between the revisions are validated once
        old = _load(base_root, base, f"{base}:{shown}", err, memo)
        head_label = head if head is not None else WORKING_TREE
        head_prefix = f"{head}:{shown}" if head is not None else f"{_shown_path(catalog_dir)}/"
        new = _load(head_root, head_label, head_prefix, err, memo)
        if old is None or new is None:
            raise RevisionsUnavailable(1)
        yield old, new, head_label


def run_diff(
    base: str,
    head: str | None,
    catalog_dir: Path,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the Markdown diff of the catalog between ``base`` and ``head`` (default: working tree).

    Returns 0 when both revisions could be compared, 1 when one has an invalid catalog,
    2 on a usage error (no repository, unknown revision).
    """
    out = out or sys.stdout
    try:
        with loaded_revisions("diff", base, head, catalog_dir, err or sys.stderr) as loaded:
            old, new, head_label = loaded
            print(render(compare(old, new), base, head_label), file=out, end="")
    except RevisionsUnavailable as exc:
        return exc.code
    return 0
