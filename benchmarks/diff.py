"""Benchmark ``build.py diff`` and ``build.py reform`` on a catalog of the real district's size.

Builds a throwaway git repository with the synthetic 5,654-item catalog, commits a reviewer-sized
change (faster time limits, renamed files, removed items), then times the whole diff
and its parts. The baseline, measured in the same run, is one plain load of the catalog (what
``build.py check`` does), so the figures read as "the diff costs N loads".

    python benchmarks/diff.py [--items 5654] [--bundles 75] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.diff import compare, render, run_diff  # noqa: E402
from catalog.diff.revisions import export, fast_temp_dir, repository_of, resolve  # noqa: E402
from catalog.loader import read_catalog  # noqa: E402
from catalog.reform import run_reform  # noqa: E402


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def cpu_seconds() -> float:
    """CPU time of this process and of the git processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object], runs: int) -> tuple[tuple[float, float], object]:
    """Median wall-clock and CPU seconds over ``runs``, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = action()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - start_cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def change(catalog: Path, edits: int) -> dict[str, int]:
    """A pull request's worth of edits: faster time limits, renamed files, removed items."""
    items = sorted((catalog / "items").glob("*.yml"))
    in_bundles = set()
    for bundle in (catalog / "bundles").glob("*.yml"):
        for line in bundle.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- item:"):
                in_bundles.add(line.split(":", 1)[1].strip())
    free = [p for p in items if p.stem not in in_bundles]
    counts = {"time limits": 0, "renamed": 0, "removed": 0}
    for path in free[:edits]:
        text = path.read_text(encoding="utf-8")
        found = re.search(r"promised_days: (\d+)", text)
        if found and int(found[1]) >= 2:
            faster = f"promised_days: {int(found[1]) - 1}"
            path.write_text(text.replace(found[0], faster, 1), encoding="utf-8")
            counts["time limits"] += 1
    for path in free[edits : edits + 10]:
        new = path.with_name(f"renamed-{path.name}")
        text = path.read_text(encoding="utf-8").replace(f"id: {path.stem}", f"id: {new.stem}", 1)
        path.unlink()
        new.write_text(text, encoding="utf-8")
        counts["renamed"] += 1
    for path in free[edits + 10 : edits + 15]:
        path.unlink()
        counts["removed"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5654)
    parser.add_argument("--bundles", type=int, default=75)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="banshi-bench-diff-") as tmp:
        repo = Path(tmp) / "repo"
        catalog = repo / "catalog_yaml"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "synth",
                "--items",
                str(args.items),
                "--bundles",
                str(args.bundles),
                "--out",
                str(catalog),
            ],
            check=True,
            capture_output=True,
        )
        shutil.rmtree(catalog / "schema", ignore_errors=True)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=b", "-c", "user.email=b@example.org", "commit", "-qm", "v1")
        git(repo, "tag", "v1")
        counts = change(catalog, args.edits)
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=b", "-c", "user.email=b@example.org", "commit", "-qm", "v2")
        git(repo, "tag", "v2")

        load_s, _ = timed(lambda: read_catalog(catalog), args.runs)
        root, relative = repository_of(catalog)
        base = resolve(root, "v1")

        def export_once() -> Path:
            target = Path(tempfile.mkdtemp(dir=fast_temp_dir() or tmp))
            try:
                return export(root, base, relative, target)
            finally:
                exported_dirs.append(target)

        exported_dirs: list[Path] = []

        export_s, exported = timed(export_once, args.runs)
        memo: dict = {}
        second_s, _ = timed(lambda: read_catalog(exported, memo=memo), 1)  # fills the memo
        second_s, _ = timed(lambda: read_catalog(catalog, memo=dict(memo)), args.runs)
        old, old_problems = read_catalog(exported)
        new, new_problems = read_catalog(catalog)
        assert old is not None and new is not None, [p.format() for p in new_problems][:5]
        compare_s, changes = timed(lambda: compare(old, new), args.runs)
        render_s, text = timed(lambda: render(changes, "v1", "v2"), args.runs)

        def whole() -> int:
            return run_diff("v1", "v2", catalog, out=io.StringIO(), err=io.StringIO())

        def naive() -> object:
            base_catalog = read_catalog(export_once())[0]
            head_catalog = read_catalog(catalog)[0]
            return compare(base_catalog, head_catalog)  # type: ignore[arg-type]

        def reform() -> int:
            return run_reform("v1", "v2", catalog, out=io.StringIO(), err=io.StringIO())

        naive_s, _ = timed(naive, args.runs)
        whole_s, code = timed(whole, args.runs)
        assert code == 0
        reform_s, code = timed(reform, args.runs)
        assert code == 0
        for folder in exported_dirs:
            shutil.rmtree(folder, ignore_errors=True)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"catalog: {args.items} items, {args.bundles} bundles; edits: {counts}")
    print(f"changes found: {len(changes.items)} items, {len(changes.bundles)} bundles")
    print(f"markdown: {len(str(text).splitlines())} lines")
    rows = [
        ("baseline: one catalog load (check)", load_s),
        ("export of the base revision (git)", export_s),
        ("second load, unchanged files memoised", second_s),
        ("compare (pure)", compare_s),
        ("render markdown (pure)", render_s),
        ("naive: export + 2 full loads + compare", naive_s),
        ("whole diff v1 v2 (run_diff)", whole_s),
        ("whole reform report v1 v2 (run_reform)", reform_s),
    ]
    print(f"{'step':40} {'wall s':>7} {'CPU s':>7} {'× baseline (wall / CPU)':>24}")
    for label, (wall, cpu) in rows:
        ratio = f"{wall / load_s[0]:.2f} / {cpu / load_s[1]:.2f}"
        print(f"{label:40} {wall:7.2f} {cpu:7.2f} {ratio:>24}")
    print(f"peak memory of this process:          {peak_mb:6.0f} MB")
    print(f"median of {args.runs} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
