"""In-process CPU cost of the hall queue's hot paths (kiosk issue, call + finish), per request,
through the Flask test client on SQLite (WAL, FULL) and PostgreSQL, with statement counts.

    python benchmarks/hall_queue_inprocess.py [--waiting 500] [--n 200] [--rounds 5]
        [--root DIR] [--profile FILE.prof]

``--root``: import ``forms_backend`` from another checkout (A/B of an older commit: make a
worktree of it and pass its path); the figures are the minimum over ``--rounds``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=500, help="waiting tickets per window")
    parser.add_argument("--n", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", help="cProfile (process time) of the last round to FILE")
    parser.add_argument(
        "--statements", action="store_true", help="time each statement (DB-API execute)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    sys.path.insert(1, str(HERE))

    from sqlalchemy import event

    from forms_backend.extensions import db
    from tests.backend.fixtures import migrated_app
    from tests.backend.queue import ADMIN_PASSWORD, create_admin, make_counters
    from tests.backend.servers import REDIS_URL, postgres_database

    def measure(url: str, folder: Path, name: str) -> None:
        app = migrated_app(url, folder)
        ids = make_counters(app, range(1, 21), ("enterprise", "social-affairs"))
        create_admin(app)
        app.config.update(
            NOW="2026-11-25T10:00:00+08:00",
            QUEUE_REDIS_URL=REDIS_URL,
            QUEUE_CHANNEL_PREFIX="bench-inprocess:queue:",
            WTF_CSRF_ENABLED=True,
        )
        app.extensions["banshi_queue_hub"].redis_url = REDIS_URL
        app.extensions["banshi_queue_hub"].prefix = "bench-inprocess:queue:"
        statements = [0]
        timing = [0.0]
        by_statement: dict[str, list] = {}

        with app.app_context():

            @event.listens_for(db.engine, "before_cursor_execute")
            def _count(_conn, _cursor, sql, *_args):
                statements[0] += 1
                if args.statements:
                    timing[0] = time.perf_counter()

            @event.listens_for(db.engine, "after_cursor_execute")
            def _timed(_conn, _cursor, sql, *_args):
                if args.statements:
                    key = " ".join(sql.split())[:90]
                    spent = by_statement.setdefault(key, [0, 0.0])
                    spent[0] += 1
                    spent[1] += time.perf_counter() - timing[0]

        kiosk = app.test_client()
        windows = ("enterprise", "social-affairs")
        for n in range(2 * args.waiting):
            kiosk.post("/api/queue/tickets", json={"window": windows[n % 2]})
        staff = app.test_client()
        page = staff.get("/staff/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        staff.post(
            "/staff/login",
            data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token},
        )

        def per_request(step) -> tuple[float, float]:
            """CPU seconds and statements per request over ``args.n`` calls of ``step(n)``."""
            statements[0] = 0
            start = time.process_time()
            for n in range(args.n):
                step(n)
            return (time.process_time() - start) / args.n, statements[0] / args.n

        def issue(n: int) -> None:
            answer = kiosk.post("/api/queue/tickets", json={"window": windows[n % 2]})
            assert answer.status_code == 201, answer.text

        def refused(_n: int) -> None:
            """The same route refused before any database work: the app's per-request floor."""
            answer = kiosk.post("/api/queue/tickets", json={})
            assert answer.status_code == 422, answer.text

        def call_and_finish(n: int) -> None:
            counter = ids[n % len(ids)]
            answer = staff.post(f"/api/queue/counters/{counter}/call", json={})
            assert answer.status_code == 200 and answer.json["ticket"], answer.text
            answer = staff.post(f"/api/queue/counters/{counter}/finish", json={})
            assert answer.status_code == 200, answer.text

        rounds = {
            "issue": issue,
            "call + finish": call_and_finish,
            "issue refused before the database (floor)": refused,
        }
        results: dict[str, list] = {what: [] for what in rounds}
        calls: dict[str, int] = {}
        for r in range(args.rounds + 1):
            for what, step in rounds.items():
                if r < args.rounds:
                    results[what].append(per_request(step))
                    continue
                # one more round under cProfile: Python function calls per request (the
                # same on a loaded machine), and the profile itself with --profile
                profiler = cProfile.Profile(time.process_time)
                profiler.runcall(per_request, step)
                calls[what] = pstats.Stats(profiler).total_calls // args.n
                if args.profile:
                    kind = what.split()[0] + ("-floor" if "floor" in what else "")
                    profiler.dump_stats(f"{args.profile}.{name.split()[0].lower()}.{kind}")
        for what, runs in results.items():
            cpu = min(c for c, _ in runs) * 1000
            print(
                f"| {name} | {what} | {cpu:.2f} ms | {runs[0][1]:.1f} | {calls[what]} | "
                + " ".join(f"{c * 1000:.2f}" for c, _ in runs)
                + " |",
                flush=True,
            )
        for key, (count, spent) in sorted(by_statement.items(), key=lambda kv: -kv[1][1])[:25]:
            print(f"    {count:6d} × {spent / count * 1e6:7.0f} µs  {key}")
        with app.app_context():
            db.engine.dispose()

    print(
        f"code: {args.root}; {args.waiting} waiting per window type, {args.n} requests × "
        f"{args.rounds} rounds (minimum)"
    )
    print(
        "| database | request | CPU per request (min) | SQLAlchemy statements | Python calls "
        "| every round (ms) |"
    )
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.no_sqlite:
            measure(f"sqlite:///{folder / 'q.sqlite3'}", folder, "SQLite (WAL, FULL)")
        if not args.no_postgres:
            with postgres_database() as url:
                measure(url, folder, "PostgreSQL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
