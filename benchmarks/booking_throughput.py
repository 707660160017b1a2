"""Booking throughput and latency through gunicorn, as a ratio to a bare Flask endpoint.

Each target is served by gunicorn with 4 workers on a random local port: (1) a bare Flask
endpoint (benchmarks/bare_app.py), (2) the banshi backend on SQLite (WAL), (3) the banshi
backend on PostgreSQL at 127.0.0.1:5432 (a temporary database). Two measurements per target:

* closed loop: ``--clients`` threads post bookings back to back → throughput, p50, p99;
* open loop at a fixed rate (``--rate`` req/s for ``--seconds``) → p50, p99 at that load.

Every booking is real: a new person, an existing slot with a free seat (the benchmark catalog
raises each window to 50 counters so seats do not run out), one INSERT and one conditional UPDATE,
and its confirmation message as in production: the outbox row in the same transaction, Huey on
Redis (``NOTIFY_CHANNEL=none``; no delivery worker runs during the rounds, so the figures are
the booking request's own cost; see benchmarks/notifications.py for delivery).

    python benchmarks/booking_throughput.py [--requests 600] [--rounds 3] [--clients 8] [--rate 50] [--seconds 10] [--no-postgres] [--sqlite-both]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.backend.fixtures import (  # noqa: E402
    CATALOG,
    ENCRYPTION_KEY,
    LOOKUP_KEY,
    id_number,
    migrated_app,
)
from tests.backend.servers import (  # noqa: E402
    REDIS_URL,
    gunicorn,
    postgres_database,
    process_cpu_seconds,
)

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


def bench_env(catalog: Path, folder: Path) -> dict[str, str]:
    """The backend's environment in every benchmark target (keys, catalog, frozen clock)."""
    return {
        "BANSHI_SECRET_KEY": "benchmark",
        "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
        "BANSHI_CATALOG_PATH": str(catalog),
        "BANSHI_INSTANCE_PATH": str(folder / "instance"),
        "BANSHI_RATELIMIT_ENABLED": "false",
        "BANSHI_NOTIFY_CHANNEL": "none",
        "BANSHI_NOW": NOW,
    }


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


def _post(session: requests.Session, url: str, body: dict, seen=None) -> tuple[float, int]:
    start = time.perf_counter()
    answer = session.post(url, json=body, timeout=30)
    if seen is not None:
        seen(answer)
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


def open_loop(
    url: str,
    bodies: Bodies,
    rate: float,
    seconds: float,
    on_answer: Callable[[float, requests.Response], None] | None = None,
) -> dict:
    """Send at a fixed rate (not waiting for answers) and measure each latency;
    ``on_answer(sent_at, answer)`` (wall-clock ``time.time()`` of sending) sees every answer."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    session_pool = threading.local()

    def one(body: dict) -> None:
        if not hasattr(session_pool, "s"):
            session_pool.s = requests.Session()
        sent_at = time.time()
        latency, status = _post(
            session_pool.s, url, body, on_answer and (lambda a: on_answer(sent_at, a))
        )
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


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(name: str, closed: list[dict], steady: dict) -> dict:
    result = {
        "rps": _median(closed, "rps"),
        "p50_ms": _median(closed, "p50_ms"),
        "p99_ms": _median(closed, "p99_ms"),
        "cpu_ms": _median(closed, "cpu_ms"),
        "steady_p50_ms": steady["p50_ms"],
        "steady_p99_ms": steady["p99_ms"],
    }
    statuses: dict[int, int] = {}
    for run in [*closed, steady]:
        for status, n in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    print(
        f"{name:<22} {result['rps']:7.0f} req/s  CPU {result['cpu_ms']:5.2f} ms/req  p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms"
        f"  | fixed rate: p50 {result['steady_p50_ms']:6.1f} ms  p99 {result['steady_p99_ms']:6.1f} ms"
        f"  | answers {dict(sorted(statuses.items()))}",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="per closed-loop round")
    parser.add_argument("--rounds", type=int, default=3, help="closed-loop rounds, interleaved")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--sqlite-both", action="store_true", help="add SQLite with synchronous=FULL and =NORMAL"
    )
    args = parser.parse_args()

    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        servers.callback(_forget, prefix)
        folder = Path(tmp)
        catalog = bench_catalog(folder)
        base_env = {
            **bench_env(catalog, folder),
            "BANSHI_NOTIFY_QUEUE": REDIS_URL,  # production: a separate worker delivers
            "BANSHI_NOTIFY_IN_PROCESS_WORKER": "false",
            "BANSHI_RATELIMIT_KEY_PREFIX": prefix,
        }
        targets = {
            "bare Flask endpoint": servers.enter_context(
                gunicorn(base_env, workers=4, app="benchmarks.bare_app:create_app()")
            ),
            "booking, SQLite (WAL)": servers.enter_context(
                gunicorn(
                    {
                        **base_env,
                        "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.sqlite3'}",
                    },
                    workers=4,
                )
            ),
        }
        if args.sqlite_both:  # the durability trade-off measured in one run (docs/backend.md)
            for mode in ("FULL", "NORMAL"):
                env = {
                    **base_env,
                    "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / f'{mode}.sqlite3'}",
                    "BANSHI_SQLITE_SYNCHRONOUS": mode,
                }
                targets[f"booking, SQLite synchronous={mode}"] = servers.enter_context(
                    gunicorn(env, workers=4)
                )
        if not args.no_postgres:
            url = servers.enter_context(postgres_database())
            migrated_app(url, folder, catalog=catalog)
            pg_env = {
                **base_env,
                "BANSHI_SQLALCHEMY_DATABASE_URI": url,
                "BANSHI_AUTO_CREATE_TABLES": "false",
            }
            targets["booking, PostgreSQL"] = servers.enter_context(gunicorn(pg_env, workers=4))
        print(
            f"gunicorn, 4 workers per target; {args.rounds} interleaved closed-loop rounds of "
            f"{args.requests} requests from {args.clients} clients (medians); then {args.rate:.0f} req/s "
            f"for {args.seconds:.0f} s; load average before: {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        bodies = {name: Bodies() for name in targets}
        for name, base in targets.items():  # warm-up: imports, connections, first slot rows
            closed_loop(f"{base}/api/bookings", bodies[name], 80, args.clients)
        closed: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, base in targets.items():
                cpu = process_cpu_seconds(base.pid)
                run = closed_loop(f"{base}/api/bookings", bodies[name], args.requests, args.clients)
                run["cpu_ms"] = (process_cpu_seconds(base.pid) - cpu) * 1000 / args.requests
                closed[name].append(run)
        results = {}
        for name, base in targets.items():
            steady = open_loop(f"{base}/api/bookings", bodies[name], args.rate, args.seconds)
            results[name] = report(name, closed[name], steady)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    bare = results["bare Flask endpoint"]
    print()
    print(
        "| target | throughput | ratio to bare Flask | app CPU per request | CPU ratio (bare / this) "
        "| p50 | p99 | p50 / p99 at 50 req/s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['rps']:.0f} req/s | {r['rps'] / bare['rps']:.2f} | {r['cpu_ms']:.2f} ms "
            f"| {bare['cpu_ms'] / r['cpu_ms']:.2f} | {r['p50_ms']:.1f} ms "
            f"| {r['p99_ms']:.1f} ms | {r['steady_p50_ms']:.1f} / {r['steady_p99_ms']:.1f} ms |"
        )
    return 0


def _forget(prefix: str) -> None:
    """Remove this run's queued messages from Redis."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


if __name__ == "__main__":
    sys.exit(main())
