"""Benchmark: load and validate the 5,654-item synthetic catalog (issue 2).

Measures, in the same run so machine noise cancels out of the ratio:

* baseline: parse every YAML file of the catalog with ``yaml.CSafeLoader`` and nothing else;
* full: ``catalog.load_catalog`` (safe parse with duplicate-key detection, pydantic validation
  of every file, cross-file checks).

Each is repeated (median reported). Peak memory is the maximum resident set size of a fresh
subprocess that does the work once, so imports and the interpreter are included in both.

    python benchmarks/load_catalog.py                 # synthesise 5,654 items into a temp dir
    python benchmarks/load_catalog.py --catalog DIR   # or measure an existing catalog
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from catalog import load_catalog  # noqa: E402
from catalog.synth import run_synth  # noqa: E402


def yaml_files(root: Path) -> list[Path]:
    return (
        sorted(root.glob("*.yml"))
        + sorted(root.glob("items/*.yml"))
        + sorted(root.glob("bundles/*.yml"))
    )


def baseline(root: Path) -> int:
    """Parse every catalog file with libyaml's safe loader; return the number of files."""
    files = yaml_files(root)
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return len(files)


def full(root: Path) -> int:
    """The real thing: parse, validate and cross-check; return the number of items."""
    return len(load_catalog(root).items)


def timed(work, root: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work(root)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


PEAK_SNIPPET = """
import resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from benchmarks.load_catalog import baseline, full
{kind}(Path(sys.argv[2]))
try:  # VmHWM starts afresh at exec; ru_maxrss would keep the parent's peak from fork
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(kind: str, root: Path) -> float:
    """Peak resident memory in MB of a fresh interpreter doing ``kind`` once (imports included)."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_SNIPPET.format(kind=kind), str(ROOT), str(root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1]) / 1024  # kB → MB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="catalog to measure (default: synthesise one)")
    parser.add_argument("--items", type=int, default=5654)
    parser.add_argument("--bundles", type=int, default=75)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    load_before = _load()

    with tempfile.TemporaryDirectory(prefix="banshi-bench-") as tmp:
        root = args.catalog
        if root is None:
            root = Path(tmp) / "catalog"
            start = time.perf_counter()
            run_synth(
                root, items=args.items, bundles=args.bundles, seed=args.seed, stdout=io.StringIO()
            )
            print(
                f"synth: {args.items} items, {args.bundles} bundles in {time.perf_counter() - start:.2f} s"
            )
        files = baseline(root)  # warm the page cache before timing anything
        items = full(root)
        base_wall, base_cpu = timed(baseline, root, args.repeat)
        full_wall, full_cpu = timed(full, root, args.repeat)
        base_mb, full_mb = peak_mb("baseline", root), peak_mb("full", root)

    median = statistics.median
    print(f"catalog: {items} items, {files} YAML files; machine: {_machine()}")
    print(f"repeats: {args.repeat} (median and min shown); load average at start: {load_before}")
    print()
    print(
        "| measurement | wall s (median) | wall s (min) | CPU s (median) | peak RSS MB | ratio to baseline (wall / CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    rows = (
        ("baseline: yaml.CSafeLoader only", base_wall, base_cpu, base_mb),
        ("full: load_catalog (parse + validate + cross checks)", full_wall, full_cpu, full_mb),
    )
    for label, wall, cpu, mb in rows:
        ratio = f"{median(wall) / median(base_wall):.2f} / {median(cpu) / median(base_cpu):.2f}"
        print(
            f"| {label} | {median(wall):.2f} | {min(wall):.2f} | {median(cpu):.2f} | {mb:.0f} | {ratio} |"
        )
    print()
    full_s = median(full_wall)
    verdict = "meets" if full_s <= 3.0 else "MISSES"
    print(f"goal: full load <= 3 s on this machine: {verdict} (median wall {full_s:.2f} s)")
    if args.json:
        figures = {
            "baseline_wall_s": median(base_wall),
            "full_wall_s": full_s,
            "baseline_cpu_s": median(base_cpu),
            "full_cpu_s": median(full_cpu),
            "baseline_mb": base_mb,
            "full_mb": full_mb,
        }
        print(json.dumps(figures))
    return 0


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _machine() -> str:
    import os

    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}"


if __name__ == "__main__":
    sys.exit(main())
