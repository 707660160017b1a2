"""Notifications: booking throughput with the outbox on vs off, and delivery latency from the
booking to the SMS provider with the worker running.

Same method as benchmarks/booking_throughput.py (gunicorn, 4 workers, real bookings, closed-loop
rounds interleaved between the targets, medians), on SQLite (WAL):

* ``off``: ``NOTIFY_ENABLED=false`` — the baseline;
* ``on``: every booking also writes its outbox row in the booking's transaction (and nothing
  else: the worker's poller finds the row); no worker runs during these rounds, so the figure
  is the request's cost.

Then latency: a fresh database, ``flask notifications worker`` running (its outbox poller every
``NOTIFY_POLL_SECONDS``, Huey on Redis, 2 delivery threads), the SMS channel pointed at the local SendSms stand-in (signature checked on every
request); bookings are sent at ``--rate`` per second for ``--seconds``; latency = the moment
the provider received the message minus the moment the booking request was sent (an upper
bound of commit → provider).

    python benchmarks/notifications.py [--requests 600] [--rounds 3] [--clients 8] [--rate 20] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.booking_throughput import (  # noqa: E402
    Bodies,
    bench_catalog,
    bench_env,
    closed_loop,
    open_loop,
)
from catalog import load_catalog  # noqa: E402
from catalog.messages import placeholders_of  # noqa: E402
from tests.backend.providers import ACCESS_KEY_ID, ACCESS_KEY_SECRET, SmsProvider  # noqa: E402
from tests.backend.servers import (  # noqa: E402
    REDIS_URL,
    gunicorn,
    notification_worker,
    process_cpu_seconds,
)


def provider_for(catalog_dir: Path) -> SmsProvider:
    messages = load_catalog(catalog_dir).settings.messages
    templates = {
        getattr(messages.templates, name).sms_template: set(
            placeholders_of(getattr(messages.templates, name).text)
        )
        for name in type(messages.templates).model_fields
    }
    return SmsProvider(signature=messages.sms_signature, templates=templates)


def latency(url: str, provider: SmsProvider, bodies: Bodies, rate: float, seconds: float) -> dict:
    """Bookings at ``rate`` for ``seconds``; per message: provider receipt − request sent."""
    sent_at: dict[str, float] = {}
    failures: list[int] = []

    def seen(start: float, answer: requests.Response) -> None:
        if answer.status_code == 201:
            sent_at[answer.json()["reference"]] = start
        else:
            failures.append(answer.status_code)

    open_loop(url, bodies, rate, seconds, on_answer=seen)
    received = provider.wait_for(len(sent_at), timeout=120)
    delays = []
    for request in received:
        reference = json.loads(request["TemplateParam"]).get("reference")
        if reference in sent_at:
            delays.append(request["_at"] - sent_at[reference])
    cuts = statistics.quantiles(delays, n=100, method="inclusive")
    return {
        "count": len(delays),
        "failures": len(failures),
        "rejected": len(provider.rejected),
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": max(delays) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="per closed-loop round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rate", type=float, default=20, help="bookings per second (latency)")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        catalog = bench_catalog(folder)
        provider = provider_for(catalog)
        server, endpoint = provider.start()
        stack.callback(server.shutdown)
        base_env = bench_env(catalog, folder)
        sms = {
            "BANSHI_NOTIFY_CHANNEL": "sms",
            "BANSHI_SMS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "BANSHI_SMS_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
            "BANSHI_SMS_ENDPOINT": endpoint,
            "BANSHI_SMS_PROTOCOL": "http",
            "BANSHI_NOTIFY_QUEUE": REDIS_URL,
            "BANSHI_NOTIFY_IN_PROCESS_WORKER": "false",
        }
        envs = {
            "off": {
                **base_env,
                "BANSHI_NOTIFY_ENABLED": "false",
                "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'off.sqlite3'}",
            },
            "on": {
                **base_env,
                **sms,
                "BANSHI_RATELIMIT_KEY_PREFIX": f"{prefix}-on",
                "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'on.sqlite3'}",
            },
        }
        targets = {
            name: stack.enter_context(gunicorn(env, workers=4)) for name, env in envs.items()
        }
        print(
            f"gunicorn, 4 workers per target, SQLite (WAL); {args.rounds} interleaved rounds of "
            f"{args.requests} bookings from {args.clients} clients (medians); "
            f"load average before: {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        bodies = {name: Bodies() for name in targets}
        for name, base in targets.items():
            closed_loop(f"{base}/api/bookings", bodies[name], 80, args.clients)
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, base in targets.items():
                cpu = process_cpu_seconds(base.pid)
                run = closed_loop(f"{base}/api/bookings", bodies[name], args.requests, args.clients)
                run["cpu_ms"] = (process_cpu_seconds(base.pid) - cpu) * 1000 / args.requests
                runs[name].append(run)
        for name in targets:
            rps = statistics.median(r["rps"] for r in runs[name])
            cpu = statistics.median(r["cpu_ms"] for r in runs[name])
            print(
                f"{name:<4} {rps:6.0f} req/s  CPU {cpu:5.2f} ms/booking  rounds: "
                + ", ".join(f"{r['rps']:.0f}" for r in runs[name])
                + f"  answers {runs[name][0]['statuses']}",
                flush=True,
            )
        off_rps = statistics.median(r["rps"] for r in runs["off"])
        on_rps = statistics.median(r["rps"] for r in runs["on"])
        off_cpu = statistics.median(r["cpu_ms"] for r in runs["off"])
        on_cpu = statistics.median(r["cpu_ms"] for r in runs["on"])
        pairs = [b["rps"] / a["rps"] for a, b in zip(runs["off"], runs["on"], strict=True)]
        print(
            f"throughput on / off: {on_rps / off_rps:.2f} (per round: "
            + ", ".join(f"{p:.2f}" for p in pairs)
            + f"); CPU per booking off / on: {off_cpu / on_cpu:.2f}",
            flush=True,
        )

        # latency: a fresh database with the worker running
        env = {
            **base_env,
            **sms,
            "BANSHI_RATELIMIT_KEY_PREFIX": f"{prefix}-latency",
            "BANSHI_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'latency.sqlite3'}",
        }
        web = stack.enter_context(gunicorn(env, workers=4))
        worker = notification_worker(env, folder / "worker.log", workers=2)
        try:
            warm = Bodies()
            warm._n = 100_000
            latency(f"{web}/api/bookings", provider, warm, 5, 2)  # worker started and warm
            provider.received.clear()
            result = latency(f"{web}/api/bookings", provider, Bodies(), args.rate, args.seconds)
        finally:
            worker.terminate()
            worker.wait(20)
        print(
            f"delivery latency (booking request sent → provider received), {result['count']} "
            f"messages at {args.rate:.0f}/s, worker running: p50 {result['p50_ms']:.0f} ms, "
            f"p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms; "
            f"failed bookings {result['failures']}, rejected by the provider {result['rejected']}",
            flush=True,
        )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        import redis

        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
