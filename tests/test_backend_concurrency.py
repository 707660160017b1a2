"""No overbooking under real concurrency: gunicorn with 2 workers, 20 clients at once,
on SQLite (WAL) and on the real PostgreSQL server."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask_migrate import upgrade
from sqlalchemy import func, select

from forms_backend import create_app
from forms_backend.bookings.models import Booking, Slot
from forms_backend.extensions import db
from tests.backend.fixtures import CATALOG, ENCRYPTION_KEY, FIRST_SLOT, LOOKUP_KEY, person
from tests.backend.servers import gunicorn

CLIENTS = 20
CAPACITY = 6  # counters of the "enterprise" window in the test catalog


@pytest.fixture
def server(database_url, tmp_path):
    """The real app under gunicorn (2 workers) on a schema built by the committed migrations."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "concurrency-test",
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "LOOKUP_KEY": LOOKUP_KEY,
        "CATALOG_PATH": str(CATALOG),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "AUTO_CREATE_TABLES": False,
        "RATELIMIT_ENABLED": False,
        "NOTIFY_CHANNEL": "none",
    }
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    env = {
        "BANSHI_SQLALCHEMY_DATABASE_URI": database_url,
        "BANSHI_SECRET_KEY": "concurrency-test",
        "BANSHI_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "BANSHI_LOOKUP_KEY": LOOKUP_KEY,
        "BANSHI_CATALOG_PATH": str(CATALOG),
        "BANSHI_INSTANCE_PATH": str(tmp_path / "instance"),
        "BANSHI_AUTO_CREATE_TABLES": "false",
        "BANSHI_RATELIMIT_ENABLED": "false",
        "BANSHI_NOTIFY_CHANNEL": "none",
        "BANSHI_NOW": "2026-11-25T10:00:00+08:00",
    }
    with gunicorn(env, workers=2) as base:
        yield base, app
    with app.app_context():
        db.engine.dispose()


def _all_at_once(bodies: list[dict], url: str) -> list[requests.Response]:
    start = threading.Barrier(len(bodies))

    def post(body: dict) -> requests.Response:
        start.wait()
        return requests.post(url, json=body, timeout=60)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_concurrent_clients_never_overbook(server):
    base, app = server
    bodies = [
        {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()}
        for _ in range(CLIENTS)
    ]
    answers = _all_at_once(bodies, f"{base}/api/bookings")
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: CAPACITY, 409: CLIENTS - CAPACITY}, [a.text for a in answers]
    assert all(
        a.json()["message"] == "这个时段已经约满了。请选择其他时段。"
        for a in answers
        if a.status_code == 409
    )
    with app.app_context():
        slots = db.session.scalars(select(Slot)).all()
        assert [(s.booked, s.capacity) for s in slots] == [(CAPACITY, CAPACITY)]
        assert db.session.scalar(select(func.count(Booking.id))) == CAPACITY
        references = {a.json()["reference"] for a in answers if a.status_code == 201}
        assert set(db.session.scalars(select(Booking.reference))) == references
        db.session.remove()


def test_one_person_cannot_book_twice_on_a_day_even_concurrently(server):
    base, app = server
    someone = person()
    times = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:30", "14:00"]
    bodies = [
        {"item": "business-licence", "slot": f"2026-11-27T{t}:00+08:00", **someone} for t in times
    ]
    answers = _all_at_once(bodies, f"{base}/api/bookings")
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: 1, 409: len(times) - 1}, [a.text for a in answers]
    with app.app_context():
        assert db.session.scalar(select(func.sum(Slot.booked))) == 1  # refused seats went back
        assert db.session.scalar(select(func.count(Booking.id))) == 1
        db.session.remove()
