"""Hall queue figures through gunicorn (gthread), as ratios to a bare Flask endpoint measured
in the same run:

1. kiosk ticket issue: throughput of ``POST /api/queue/tickets`` (closed loop, ``--clients``),
   on SQLite and PostgreSQL, against the bare endpoint;
2. call-next latency with 20 counters calling at once (a barrier releases all 20 together,
   ``--rounds`` times; each counter then finishes its ticket), p50/p99, against 20 bare
   requests released the same way;
3. a call reaching ``--displays`` connected call displays (Server-Sent Events, spread over the
   workers, fed by Redis pub/sub): for every call, the delay from sending the call to each
   display receiving it; p50/p99/max.

    python benchmarks/hall_queue.py [--tickets 600] [--clients 8] [--rounds 15] [--displays 200] [--calls 20] [--no-sqlite]
        [--sqlite-synchronous FULL|NORMAL]
        [--displays-only | --no-displays]
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, LOOKUP_KEY, migrated_app  # noqa: E402
from tests.backend.queue import create_admin, make_counters, signed_in  # noqa: E402
from tests.backend.servers import (  # noqa: E402
    REDIS_URL,
    gunicorn,
    postgres_database,
    process_cpu_seconds,
)

NOW = "2026-11-25T10:00:00+08:00"
COUNTERS = 20
WORKERS = 4
THREADS = 100  # 4 × 100 streams: 200 displays fit even when the workers get them unevenly
OPTIONS = ("--worker-class", "gthread", "--threads", str(THREADS))


def _percentiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "max_ms": max(values) * 1000}


def issue_loop(url: str, total: int, clients: int, body_of) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(index: int) -> None:
        session = requests.Session()
        for n in range(total // clients):
            start = time.perf_counter()
            answer = session.post(url, json=body_of(index + n), timeout=60)
            with lock:
                latencies.append(time.perf_counter() - start)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(run, i) for i in range(clients)]:
            future.result()
    return {
        "rps": len(latencies) / (time.perf_counter() - started),
        **_percentiles(latencies),
        "statuses": statuses,
    }


def _window(n: int) -> dict:
    return {"window": "enterprise" if n % 2 else "social-affairs"}


def burst(urls: list[str], sessions: list[requests.Session], rounds: int, after=None) -> dict:
    """All ``len(urls)`` requests released together by a barrier, ``rounds`` times."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(len(urls))

    def run(i: int) -> None:
        for _ in range(rounds):
            barrier.wait()
            start = time.perf_counter()
            answer = sessions[i].post(urls[i], json={}, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if after:
                after(i, answer)

    with ThreadPoolExecutor(len(urls)) as pool:
        for future in [pool.submit(run, i) for i in range(len(urls))]:
            future.result()
    return {**_percentiles(latencies), "statuses": statuses}


class Displays:
    """``n`` raw SSE connections read by one selector thread (no thread per display)."""

    def __init__(self, base: str, hall: str, n: int) -> None:
        parts = urlsplit(base)
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[socket.socket, bytearray] = {}
        self.seen: dict[str, list[float]] = {}
        self.ready = 0
        self.connected: set[socket.socket] = set()
        self.lock = threading.Lock()
        request = (
            f"GET /queue/{hall}/events HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
        for _ in range(n):
            sock = socket.create_connection((parts.hostname, parts.port))
            sock.sendall(request)
            sock.setblocking(False)
            self.buffers[sock] = bytearray()
            self.selector.register(sock, selectors.EVENT_READ)
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        pattern = re.compile(rb'"type": "call".*?"ticket": "([A-Z]\d+)"')
        while self.running:
            for key, _ in self.selector.select(timeout=0.5):
                sock = key.fileobj
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    continue
                now = time.perf_counter()
                buffer = self.buffers[sock]
                buffer += chunk
                if b"retry:" in buffer and sock not in self.connected:
                    self.connected.add(sock)
                    with self.lock:
                        self.ready += 1
                for match in pattern.finditer(buffer):
                    with self.lock:
                        self.seen.setdefault(match.group(1).decode(), []).append(now)
                last_newline = buffer.rfind(b"\n\n")
                if last_newline >= 0:
                    del buffer[: last_newline + 2]

    def wait_ready(self, n: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.ready < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.ready} of {n} displays connected")
            time.sleep(0.05)

    def close(self) -> None:
        self.running = False
        self.thread.join()
        for sock in self.buffers:
            sock.close()


def prepare(url: str, folder: Path, migrate: bool) -> list[int]:
    """Schema, 20 counters and an admin account in the database at ``url``."""
    app = migrated_app(url, folder, migrate=migrate)
    ids = make_counters(app, range(1, COUNTERS + 1), ("enterprise", "social-affairs"))
    create_admin(app)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=600, help="per kiosk round")
    parser.add_argument("--clients", type=int, default=8, help="concurrent kiosks")
    parser.add_argument("--kiosk-rounds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=15, help="call-next bursts of 20")
    parser.add_argument("--displays", type=int, default=200)
    parser.add_argument("--calls", type=int, default=20, help="calls seen by the displays")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--displays-only", action="store_true", help="only part 3 (PostgreSQL)")
    parser.add_argument("--no-displays", action="store_true", help="parts 1 and 2 only")
    parser.add_argument(
        "--sqlite-synchronous",
        default="FULL",
        choices=("FULL", "NORMAL"),
        help="SQLITE_SYNCHRONOUS of the SQLite target (FULL: an fsync per commit, the default)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        folder = Path(tmp)
        env = {
            "BANSHI_SECRET_KEY": "benchmark",
            "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
            "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
            "BANSHI_CATALOG_PATH": str(CATALOG),
            "BANSHI_INSTANCE_PATH": str(folder / "instance"),
            "BANSHI_RATELIMIT_ENABLED": "false",
            "BANSHI_NOTIFY_CHANNEL": "none",
            "BANSHI_HTTPS": "false",
            "BANSHI_AUTO_CREATE_TABLES": "false",
            "BANSHI_NOW": NOW,
            "BANSHI_QUEUE_REDIS_URL": REDIS_URL,
            "BANSHI_QUEUE_CHANNEL_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:queue:",
        }
        targets: dict[str, tuple[str, list[int]]] = {}
        bare = servers.enter_context(
            gunicorn(env, workers=WORKERS, app="benchmarks.bare_app:create_app()", options=OPTIONS)
        )
        if not (args.no_sqlite or args.displays_only):
            url = f"sqlite:///{folder / 'q.sqlite3'}"
            ids = prepare(url, folder, migrate=True)
            base = servers.enter_context(
                gunicorn(
                    {
                        **env,
                        "BANSHI_SQLALCHEMY_DATABASE_URI": url,
                        "BANSHI_SQLITE_SYNCHRONOUS": args.sqlite_synchronous,
                    },
                    workers=WORKERS,
                    options=OPTIONS,
                )
            )
            targets[f"queue, SQLite (WAL, {args.sqlite_synchronous})"] = (base, ids)
        url = servers.enter_context(postgres_database())
        ids = prepare(url, folder, migrate=True)
        base = servers.enter_context(
            gunicorn(
                {**env, "BANSHI_SQLALCHEMY_DATABASE_URI": url}, workers=WORKERS, options=OPTIONS
            )
        )
        targets["queue, PostgreSQL"] = (base, ids)
        print(
            f"gunicorn gthread, {WORKERS} workers × {THREADS} threads per target; "
            f"load average before: {os.getloadavg()[0]:.1f}",
            flush=True,
        )

        if not args.displays_only:
            kiosk_and_calls(args, bare, targets)
        if not args.no_displays:
            displays_part(args, targets)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    return 0


def kiosk_and_calls(args, bare, targets) -> None:
    if True:
        # 1. kiosk ticket issue ----------------------------------------------------------
        everyone = {"bare Flask endpoint": bare, **{k: v[0] for k, v in targets.items()}}
        for base in everyone.values():  # warm-up
            issue_loop(f"{base}/api/queue/tickets", 80, args.clients, _window)
        kiosk: dict[str, list[dict]] = {name: [] for name in everyone}
        for _ in range(args.kiosk_rounds):
            for name, base in everyone.items():
                cpu = process_cpu_seconds(base.pid)
                run = issue_loop(f"{base}/api/queue/tickets", args.tickets, args.clients, _window)
                run["cpu_ms"] = (process_cpu_seconds(base.pid) - cpu) * 1000 / args.tickets
                kiosk[name].append(run)
        print("\n1. kiosk ticket issue (closed loop, medians of rounds)")
        print("| target | throughput | ratio to bare | CPU per request | p50 | p99 | answers |")
        print("|---|---|---|---|---|---|---|")
        bare_rps = statistics.median(r["rps"] for r in kiosk["bare Flask endpoint"])
        for name, runs in kiosk.items():
            rps = statistics.median(r["rps"] for r in runs)
            statuses: dict[int, int] = {}
            for r in runs:
                for k, v in r["statuses"].items():
                    statuses[k] = statuses.get(k, 0) + v
            print(
                f"| {name} | {rps:.0f} req/s | {rps / bare_rps:.2f} "
                f"| {statistics.median(r['cpu_ms'] for r in runs):.2f} ms "
                f"| {statistics.median(r['p50_ms'] for r in runs):.1f} ms "
                f"| {statistics.median(r['p99_ms'] for r in runs):.1f} ms | {statuses} |",
                flush=True,
            )

        # 2. call next, 20 counters at once ----------------------------------------------
        print(f"\n2. call next: {COUNTERS} counters released together, {args.rounds} rounds")
        print(
            "| target | p50 | p99 | max | p99 ratio to bare | CPU per call (+ finish) | answers |"
        )
        print("|---|---|---|---|---|---|---|")
        bare_sessions = [requests.Session() for _ in range(COUNTERS)]
        cpu = process_cpu_seconds(bare.pid)
        bare_burst = burst([f"{bare}/api/queue/tickets"] * COUNTERS, bare_sessions, args.rounds)
        bare_cpu = (process_cpu_seconds(bare.pid) - cpu) * 1000 / (COUNTERS * args.rounds)
        print(
            f"| bare Flask endpoint | {bare_burst['p50_ms']:.1f} ms | {bare_burst['p99_ms']:.1f} ms "
            f"| {bare_burst['max_ms']:.1f} ms | 1.00 | {bare_cpu:.2f} ms | {bare_burst['statuses']} |",
            flush=True,
        )
        for name, (base, ids) in targets.items():
            session = signed_in(base)
            sessions = []
            for _ in ids:
                s = requests.Session()
                s.cookies.update(session.cookies)
                sessions.append(s)

            def finish(i: int, answer, base=base, ids=ids, sessions=sessions) -> None:
                if answer.ok and answer.json()["ticket"]:
                    sessions[i].post(
                        f"{base}/api/queue/counters/{ids[i]}/finish", json={}, timeout=60
                    )

            urls = [f"{base}/api/queue/counters/{i}/call" for i in ids]
            burst(urls, sessions, 2, after=finish)  # warm-up
            cpu = process_cpu_seconds(base.pid)
            result = burst(urls, sessions, args.rounds, after=finish)
            used = (process_cpu_seconds(base.pid) - cpu) * 1000 / (COUNTERS * args.rounds)
            print(
                f"| {name} | {result['p50_ms']:.1f} ms | {result['p99_ms']:.1f} ms "
                f"| {result['max_ms']:.1f} ms | {result['p99_ms'] / bare_burst['p99_ms']:.2f} "
                f"| {used:.2f} ms | {result['statuses']} |",
                flush=True,
            )


def displays_part(args, targets) -> None:
    if True:
        # 3. a call reaching N displays ----------------------------------------------------
        requests.post(
            f"{targets['queue, PostgreSQL'][0]}/api/queue/tickets",
            json={"window": "enterprise"},
            timeout=60,
        )
        for _ in range(args.calls):
            requests.post(
                f"{targets['queue, PostgreSQL'][0]}/api/queue/tickets",
                json={"window": "enterprise"},
                timeout=60,
            )
        base, ids = targets["queue, PostgreSQL"]
        displays = Displays(base, "citizen-hall", args.displays)
        try:
            displays.wait_ready(args.displays)
            session = signed_in(base)
            delays: list[float] = []
            missing = 0
            for _ in range(args.calls):
                sent = time.perf_counter()
                answer = session.post(
                    f"{base}/api/queue/counters/{ids[0]}/call", json={}, timeout=60
                )
                label = answer.json()["ticket"]["number"]
                deadline = time.monotonic() + 10
                while (
                    len(displays.seen.get(label, [])) < args.displays
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.01)
                got = displays.seen.get(label, [])
                missing += args.displays - len(got)
                delays.extend(at - sent for at in got)
                session.post(f"{base}/api/queue/counters/{ids[0]}/finish", json={}, timeout=60)
                time.sleep(0.2)  # calls a fraction of a second apart, like a busy hall
            figures = _percentiles(delays)
            print(f"\n3. one call reaching {args.displays} connected displays ({args.calls} calls)")
            print("| displays | deliveries | missed | p50 | p99 | max |")
            print("|---|---|---|---|---|---|")
            print(
                f"| {args.displays} | {len(delays)} | {missing} | {figures['p50_ms']:.1f} ms "
                f"| {figures['p99_ms']:.1f} ms | {figures['max_ms']:.1f} ms |"
            )
        finally:
            displays.close()


if __name__ == "__main__":
    raise SystemExit(main())
