"""Crash durability: concurrent bookings through gunicorn while workers and the master are
killed with SIGKILL, on SQLite and on PostgreSQL. Prints, per database: bookings acknowledged
(201 with a reference), stored, lost (acknowledged but not stored), stored but unacknowledged
(the client saw an error or nothing, the row exists), and overbooked slots. Goal: 0 lost,
0 overbooked. Stored-but-unacknowledged is expected when a worker dies after its commit and
before its answer: the citizen's retry is then refused as "one booking per day", not doubled.

The test catalog has 6 counters per slot; the clients spread over the 65 slots of 5 days
(390 seats), so slots fill up while workers die and late bookings compete for the last seats.

    python benchmarks/crash_durability.py [--rounds 6] [--clients 12] [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
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
from tests.backend.servers import free_port, postgres_database  # noqa: E402

NOW = "2026-11-25T10:00:00+08:00"
DAYS = ["2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"]
TIMES = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]  # fmt: skip
SLOTS = [f"{day}T{t}:00+08:00" for day in DAYS for t in TIMES]


class Gunicorn:
    """gunicorn with 4 workers on a fixed port, restartable after its master was killed."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "4",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "2",
                "forms_backend:create_app()",
            ],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), **os.environ, **self.env},
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/api/items", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if self.process and int(stat[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def kill_worker(self) -> None:
        workers = self.workers()
        if workers:
            try:
                os.kill(random.choice(workers), signal.SIGKILL)
            except ProcessLookupError:  # it had just exited
                pass

    def kill_master(self) -> None:
        """SIGKILL the master and, like a machine losing power, every worker with it."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Clients:
    """Threads posting distinct valid bookings; remembers every acknowledged reference."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.acknowledged: set[str] = set()
        self.errors = 0
        self._n = 0
        self._lock = threading.Lock()

    def body(self) -> dict:
        with self._lock:
            self._n += 1
            n = self._n
        return {
            "item": "business-licence",
            "slot": random.choice(SLOTS),
            "name": "张三",
            "id_number": id_number(serial=n % 1000, region=f"{160000 + n // 1000:06d}"),
            "phone": f"137{n:08d}",
        }

    def run(self, stop: threading.Event) -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                answer = session.post(self.url, json=self.body(), timeout=(5, 30))
            except requests.RequestException:
                with self._lock:
                    self.errors += 1
                session = requests.Session()
                time.sleep(0.05)  # the server is restarting
                continue
            if answer.status_code == 201:
                with self._lock:
                    self.acknowledged.add(answer.json()["reference"])


def measure(name: str, url: str, env: dict[str, str], args, folder: Path) -> dict:
    port = free_port()
    server = Gunicorn({**env, "BANSHI_SQLALCHEMY_DATABASE_URI": url}, port, folder / f"{name}.log")
    server.start()
    clients = Clients(f"http://127.0.0.1:{port}/api/bookings")
    stop = threading.Event()
    kills = {"worker": 0, "master": 0}
    with ThreadPoolExecutor(args.clients) as pool:
        futures = [pool.submit(clients.run, stop) for _ in range(args.clients)]
        try:
            for round_ in range(args.rounds):
                for _ in range(3):
                    time.sleep(random.uniform(0.2, 0.8))
                    server.kill_worker()
                    kills["worker"] += 1
                time.sleep(random.uniform(0.2, 0.8))
                if round_ % 2 == 1:
                    server.kill_master()
                    kills["master"] += 1
                    server.start()
        finally:
            stop.set()  # the clients stop whatever happened to the loop
            for future in futures:
                future.result()
            server.stop()
    stored, overbooked = _stored(url)
    return {
        "name": name,
        "kills": kills,
        "acknowledged": len(clients.acknowledged),
        "stored": len(stored),
        "lost": len(clients.acknowledged - stored),
        "unacknowledged": len(stored - clients.acknowledged),
        "overbooked": overbooked,
        "errors": clients.errors,
    }


def _stored(url: str) -> tuple[set[str], int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = {r for (r,) in connection.execute(text("SELECT reference FROM booking"))}
        overbooked = connection.execute(
            text(
                "SELECT count(*) FROM slot s WHERE s.booked > s.capacity OR s.capacity < "
                "(SELECT count(*) FROM booking b WHERE b.slot_id = s.id "
                "AND b.status IN ('booked', 'checked_in'))"
            )
        ).scalar_one()
    engine.dispose()
    return stored, overbooked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=6, help="3 worker kills each; master every 2nd"
    )
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        env = {
            "BANSHI_SECRET_KEY": "benchmark",
            "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
            "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
            "BANSHI_CATALOG_PATH": str(CATALOG),
            "BANSHI_INSTANCE_PATH": str(folder / "instance"),
            "BANSHI_RATELIMIT_ENABLED": "false",
            "BANSHI_NOTIFY_CHANNEL": "none",
            "BANSHI_AUTO_CREATE_TABLES": "false",
            "BANSHI_NOW": NOW,
        }
        databases = {"SQLite (WAL)": f"sqlite:///{folder / 'crash.sqlite3'}"}
        if not args.no_postgres:
            databases["PostgreSQL"] = stack.enter_context(postgres_database())
        for name, url in databases.items():
            migrated_app(url, folder)
            results.append(measure(name, url, env, args, folder))
            print(f"{name}: done", flush=True)
    print()
    print(
        "| database | kills (workers / master) | acknowledged | stored | lost "
        "| stored but unacknowledged | overbooked slots | client errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['name']} | {r['kills']['worker']} / {r['kills']['master']} "
            f"| {r['acknowledged']} | {r['stored']} | {r['lost']} | {r['unacknowledged']} "
            f"| {r['overbooked']} | {r['errors']} |"
        )
    return 0 if all(r["lost"] == 0 and r["overbooked"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
