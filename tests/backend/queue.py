"""Queue test helpers: counters made directly in the database, a staff session on a server."""

from __future__ import annotations

import re

import requests

from forms_backend.extensions import db
from forms_backend.hall_queue.cli import new_counter
from forms_backend.hall_queue.models import Counter


def make_counters(app, numbers, windows=("enterprise",), hall="citizen-hall") -> list[int]:
    """Counters with these numbers serving ``windows``; returns their ids."""
    with app.app_context():
        made = [new_counter(hall, n, list(windows)) for n in numbers]
        db.session.commit()
        ids = [c.id for c in made]
        db.session.remove()
    return ids


ADMIN_PASSWORD = "correct horse battery"


def create_admin(app) -> None:
    """An admin account ``admin`` (password kept: no forced change) for the counter pages."""
    result = app.test_cli_runner().invoke(
        args=["users", "create", "admin", "--role", "admin", "--password", ADMIN_PASSWORD]
        + ["--keep-password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()


def device_token(app, counter_id: int) -> str:
    with app.app_context():
        token = db.session.get(Counter, counter_id).device_token
        db.session.remove()
    return token


def signed_in(base: str) -> requests.Session:
    """A session signed in as ``admin`` (``ADMIN_PASSWORD``) on a live server."""
    session = requests.Session()
    page = session.get(f"{base}/staff/login", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/staff/login",
        data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token},
        timeout=30,
    )
    answer.raise_for_status()
    return session
