"""The public 好差评 statistics endpoint at the seed's volume, as a ratio to a bare endpoint.

The seed reports 37,374 evaluations. This script stores that many (spread over 12 months, the
sample catalog's windows and departments, about 3 % 差评 with their follow-ups) in a fresh
database, then times ``GET /api/stats/evaluations`` through the WSGI test client, against the
bare Flask JSON endpoint of benchmarks/bare_app.py called the same way in the same run:
once computed on every request (``STATS_CACHE_SECONDS=0``), once with the per-worker cache.

    python benchmarks/evaluation_stats.py [--evaluations 37374] [--requests 30] [--no-postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.workdays import CHINA  # noqa: E402
from tests.backend.fixtures import ENCRYPTION_KEY, LOOKUP_KEY  # noqa: E402
from tests.backend.servers import postgres_database  # noqa: E402

START = dt.datetime(2025, 12, 1, 9, 0, tzinfo=CHINA)


def populate(app, count: int) -> None:
    from forms_backend.evaluations.models import Evaluation, FollowUp
    from forms_backend.extensions import db

    catalog = app.extensions["banshi_catalog"]
    windows = list(catalog.windows)
    items = [i for i in catalog.published_items() if i.window]
    rng = random.Random(37374)
    rows, follow_ups = [], []
    for n in range(count):
        at = START + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        item = rng.choice(items)
        level = (
            5
            if rng.random() < 0.8
            else rng.choice((4, 3, 3, 2, 1))
            if rng.random() < 0.85
            else rng.choice((2, 1))
        )
        rows.append(
            {
                "id": n + 1,
                "reference": f"B{n:07d}",
                "channel": "onsite",
                "ticket": f"{n % 10000}",
                "window": item.window if rng.random() < 0.9 else rng.choice(windows),
                "item": item.id,
                "department": item.department,
                "level": level,
                "labels": "办理时间过长" if level < 3 else "",
                "process": rng.randint(1, 5) if rng.random() < 0.3 else None,
                "day": at.date() + dt.timedelta(days=n // 10000 * 400),  # unique visits
                "month": at.strftime("%Y-%m"),
                "created_at": at,
            }
        )
        if level < 3:
            follow_ups.append(
                {
                    "evaluation_id": n + 1,
                    "department": item.department,
                    "status": "open",
                    "due": at.date() + dt.timedelta(days=21),
                    "created_at": at,
                    "updated_at": at,
                }
            )
    with app.app_context():
        db.session.execute(Evaluation.__table__.insert(), rows)
        if follow_ups:
            db.session.execute(FollowUp.__table__.insert(), follow_ups)
        db.session.commit()


def timed(client, path: str, requests: int) -> list[float]:
    client.get(path)  # warm up
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def run(database_url: str, folder: Path, count: int, requests: int) -> dict:
    from benchmarks.bare_app import create_app as bare_app
    from forms_backend import create_app
    from forms_backend.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench",
            "ENCRYPTION_KEY": ENCRYPTION_KEY,
            "LOOKUP_KEY": LOOKUP_KEY,
            "INSTANCE_PATH": str(folder / "instance"),
            "AUTO_CREATE_TABLES": True,
            "RATELIMIT_ENABLED": False,
            "NOTIFY_CHANNEL": "none",
        }
    )
    populate(app, count)
    baseline = timed(bare_app().test_client(), "/api/openapi.json", requests)
    app.config["STATS_CACHE_SECONDS"] = 0
    stats = timed(app.test_client(), "/api/stats/evaluations", requests)
    app.config["STATS_CACHE_SECONDS"] = 60
    cached = timed(app.test_client(), "/api/stats/evaluations", requests)
    total = app.test_client().get("/api/stats/evaluations").json["total"]
    with app.app_context():
        db.engine.dispose()
    return {"baseline": baseline, "stats": stats, "cached": cached, "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=37374)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        targets = {"SQLite": f"sqlite:///{folder / 'bench.sqlite3'}"}
        if not args.no_postgres:
            targets["PostgreSQL"] = stack.enter_context(postgres_database())
        print(f"{args.evaluations} evaluations, {args.requests} requests each")
        print(
            "| database | bare p50 ms | stats (computed) p50 ms | p90 ms | ratio | "
            "stats (cached) p50 ms | ratio |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, url in targets.items():
            result = run(url, folder / name, args.evaluations, args.requests)
            assert result["total"] == args.evaluations
            base = statistics.median(result["baseline"])
            p50 = statistics.median(result["stats"])
            p90 = statistics.quantiles(result["stats"], n=10)[-1]
            cached = statistics.median(result["cached"])
            print(
                f"| {name} | {base:.2f} | {p50:.1f} | {p90:.1f} | {p50 / base:.0f}× "
                f"| {cached:.2f} | {cached / base:.1f}× |"
            )


if __name__ == "__main__":
    main()
