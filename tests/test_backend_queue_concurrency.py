"""Concurrent counters never get the same ticket: gunicorn with several workers, 20 counters
calling at once over 500 tickets, on SQLite (WAL) and on the real PostgreSQL server."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask_migrate import upgrade
from sqlalchemy import func, select

from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.hall_queue.models import Ticket, TicketEvent
from tests.backend.fixtures import server_settings
from tests.backend.queue import create_admin, make_counters, signed_in
from tests.backend.servers import gunicorn

TICKETS = 500
COUNTERS = 20
WORKERS = 3
SERVER_OPTIONS = ("--worker-class", "gthread", "--threads", "8")
"""The production set-up for the queue (docs/backend.md: gthread serves the SSE streams)."""


@pytest.fixture
def queue_server(database_url, tmp_path):
    config, env = server_settings(database_url, tmp_path, "queue-concurrency")
    env["BANSHI_HTTPS"] = (
        "false"  # plain HTTP on 127.0.0.1: the staff session cookie must come back
    )
    app = create_app(config)
    with app.app_context():
        upgrade()
    counter_ids = make_counters(app, range(1, COUNTERS + 1), ("enterprise", "social-affairs"))
    create_admin(app)
    with gunicorn(env, workers=WORKERS, options=SERVER_OPTIONS) as base:
        yield base, app, counter_ids
    with app.app_context():
        db.engine.dispose()


def test_twenty_counters_call_five_hundred_tickets_each_exactly_once(queue_server):
    base, app, counter_ids = queue_server
    windows = ["enterprise", "social-affairs"] * (TICKETS // 2)
    with ThreadPoolExecutor(max_workers=10) as kiosks:
        issued = list(
            kiosks.map(
                lambda w: requests.post(
                    f"{base}/api/queue/tickets", json={"window": w}, timeout=60
                ),
                windows,
            )
        )
    assert Counter(a.status_code for a in issued) == {201: TICKETS}, issued[0].text
    numbers = sorted(a.json()["number"] for a in issued)
    expected = sorted([f"A{n:03d}" for n in range(1, 251)] + [f"B{n:03d}" for n in range(1, 251)])
    assert numbers == expected  # per-prefix numbering has no gap and no duplicate

    cookies = signed_in(base).cookies
    start = threading.Barrier(COUNTERS)

    def counter(counter_id: int) -> list[str]:
        session = requests.Session()
        session.cookies.update(cookies)
        called = []
        start.wait()
        while True:
            answer = session.post(
                f"{base}/api/queue/counters/{counter_id}/call", json={}, timeout=60
            )
            assert answer.status_code == 200, answer.text
            ticket = answer.json()["ticket"]
            if ticket is None:
                return called
            called.append(ticket["number"])
            done = session.post(
                f"{base}/api/queue/counters/{counter_id}/finish", json={}, timeout=60
            )
            assert done.status_code == 200, done.text

    with ThreadPoolExecutor(max_workers=COUNTERS) as pool:
        per_counter = list(pool.map(counter, counter_ids))
    everything = [n for calls in per_counter for n in calls]
    assert len(everything) == TICKETS
    assert sorted(everything) == expected
    assert sum(1 for calls in per_counter if calls) >= COUNTERS // 2  # they really overlapped
    with app.app_context():
        calls = db.session.scalar(
            select(func.count(TicketEvent.id)).where(TicketEvent.kind == "call")
        )
        statuses = Counter(db.session.scalars(select(Ticket.status)))
        db.session.remove()
    assert calls == TICKETS
    assert statuses == {"finished": TICKETS}
