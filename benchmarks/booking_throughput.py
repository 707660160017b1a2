"""Booking throughput and latency through gunicorn, as a ratio to a bare Flask endpoint.

Each target is served by gunicorn with 4 workers on a random local port: (1) a bare Flask
endpoint (benchmarks/bare_app.py), (2) the banshi backend on SQLite (WAL), (3) the banshi
backend on PostgreSQL at 127.0.0.1:5432 (a temporary database). Two measurements per target:

* closed loop: ``--clients`` threads post bookings back to back → throughput, p50, p99;
* open loop at a fixed rate (``--rate`` req/s for ``--seconds``) → p50, p99 at that load.

Every booking is real: a new person, an existing slot with a free seat (the benchmark catalog
raises each window to 50 counters so seats do not run out), one INSERT and one conditional UPDATE.

    python benchmarks/booking_throughput.py [--requests 1500] [--clients 8] [--rate 50] [--seconds 10] [--no-postgres]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, id_number  # noqa: E402
from tests.backend.servers import gunicorn, postgres_database  # noqa: E402

NOW = "2026-11-25T10:00:00+08:00"
DAYS = ["2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"]
TIMES = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]  # fmt: skip


def bench_catalog(folder: Path) -> Path:
    """The test catalog with 50 counters per window, so thousands of seats exist."""
    target = folder / "catalog"
    shutil.copytree(CATALOG, target)
    places = target / "places.yml"
    places.write_text(re.sub(r"counters: \d+", "counters: 50", places.read_text("utf-8")), "utf-8")
    return target


class Bodies:
    """Distinct valid bookings, spread over every slot (≤ 50 per slot)."""

    def __init__(self) -> None:
        self._n = 0
        self._lock = threading.Lock()

    def next(self) -> dict:
        with self._lock:
            self._n += 1
            n = self._n
        slot = n % (len(DAYS) * len(TIMES))
        day, clock = DAYS[slot // len(TIMES)], TIMES[slot % len(TIMES)]
        return {
            "item": "business-licence",
            "slot": f"{day}T{clock}:00+08:00",
            "name": "张三",
            "id_number": id_number(serial=n % 1000, region=f"{150000 + n // 1000:06d}"),
            "phone": f"139{n:08d}",
        }


def _post(session: requests.Session, url: str, body: dict) -> tuple[float, int]:
    start = time.perf_counter()
    answer = session.post(url, json=body, timeout=30)
    return time.perf_counter() - start, answer.status_code


def closed_loop(url: str, bodies: Bodies, total: int, clients: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_client = total // clients

    def run() -> None:
        session = requests.Session()
        for _ in range(per_client):
            latency, status = _post(session, url, bodies.next())
            with lock:
                latencies.append(latency)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(run) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, **_percentiles(latencies), "statuses": statuses}


def open_loop(url: str, bodies: Bodies, rate: float, seconds: float) -> dict:
    """Send at a fixed rate (not waiting for answers) and measure each latency."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    session_pool = threading.local()

    def one(body: dict) -> None:
        if not hasattr(session_pool, "s"):
            session_pool.s = requests.Session()
        latency, status = _post(session_pool.s, url, body)
        with lock:
            latencies.append(latency)
            statuses[status] = statuses.get(status, 0) + 1

    count = int(rate * seconds)
    with ThreadPoolExecutor(32) as pool:
        start = time.perf_counter()
        futures = []
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, bodies.next()))
        for future in futures:
            future.result()
    return {"rps": rate, **_percentiles(latencies), "statuses": statuses}


def _percentiles(latencies: list[float]) -> dict:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000}


def measure(name: str, env: dict, app: str, args) -> dict:
    bodies = Bodies()
    with gunicorn(env, workers=4, app=app) as base:
        url = f"{base}/api/bookings"
        closed_loop(url, bodies, 80, args.clients)  # warm-up: imports, connections, slot rows
        closed = closed_loop(url, bodies, args.requests, args.clients)
        steady = open_loop(url, bodies, args.rate, args.seconds)
    print(
        f"{name:<22} {closed['rps']:8.0f} req/s  p50 {closed['p50_ms']:6.1f} ms  p99 {closed['p99_ms']:6.1f} ms"
        f"  | at {args.rate:.0f} req/s: p50 {steady['p50_ms']:6.1f} ms  p99 {steady['p99_ms']:6.1f} ms"
        f"  statuses {dict(sorted({**closed['statuses']}.items()))}",
        flush=True,
    )
    bad = set(closed["statuses"]) | set(steady["statuses"])
    if bad - {201}:
        print(f"  warning: non-201 answers in {name}: {closed['statuses']} {steady['statuses']}")
    return {"closed": closed, "steady": steady}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = bench_catalog(folder)
        base_env = {
            "BANSHI_SECRET_KEY": "benchmark",
            "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
            "BANSHI_CATALOG_PATH": str(catalog),
            "BANSHI_INSTANCE_PATH": str(folder / "instance"),
            "BANSHI_RATELIMIT_ENABLED": "false",
            "BANSHI_NOW": NOW,
        }
        print(
            f"gunicorn 4 workers; closed loop {args.requests} requests from {args.clients} clients; "
            f"open loop {args.rate:.0f} req/s for {args.seconds:.0f} s"
        )
        bare = measure("bare Flask endpoint", base_env, "benchmarks.bare_app:create_app()", args)
        results = {}
        sqlite_env = {
            **base_env,
            "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
        results["SQLite (WAL)"] = measure(
            "banshi on SQLite", sqlite_env, "forms_backend:create_app()", args
        )
        if not args.no_postgres:
            with postgres_database() as url:
                from flask_migrate import upgrade

                from forms_backend import create_app
                from forms_backend.extensions import db

                app = create_app(
                    {
                        "SQLALCHEMY_DATABASE_URI": url,
                        "CATALOG_PATH": str(catalog),
                        "INSTANCE_PATH": str(folder / "instance"),
                        "SECRET_KEY": "b",
                        "ENCRYPTION_KEY": ENCRYPTION_KEY,
                    }
                )
                with app.app_context():
                    upgrade()
                    db.engine.dispose()
                pg_env = {
                    **base_env,
                    "BANSHI_SQLALCHEMY_DATABASE_URI": url,
                    "BANSHI_AUTO_CREATE_TABLES": "false",
                }
                results["PostgreSQL"] = measure(
                    "banshi on PostgreSQL", pg_env, "forms_backend:create_app()", args
                )
    print()
    print("| target | throughput | ratio to bare Flask | p50 | p99 | p99 at fixed rate |")
    print("|---|---|---|---|---|---|")
    b = bare["closed"]
    print(
        f"| bare Flask endpoint | {b['rps']:.0f} req/s | 1.00 | {b['p50_ms']:.1f} ms | {b['p99_ms']:.1f} ms | {bare['steady']['p99_ms']:.1f} ms |"
    )
    for name, result in results.items():
        c = result["closed"]
        print(
            f"| booking, {name} | {c['rps']:.0f} req/s | {c['rps'] / b['rps']:.2f} | {c['p50_ms']:.1f} ms | {c['p99_ms']:.1f} ms | {result['steady']['p99_ms']:.1f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
