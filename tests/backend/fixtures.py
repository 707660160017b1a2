"""Backend fixtures (flaskr style): an app with a fresh SQLite database per test, a client,
a controllable clock, factories for people and bookings, and a staff login helper."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from catalog import load_catalog
from catalog.workdays import CHINA
from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.privacy import ID_CHECK_CHARS, ID_WEIGHTS
from tests.backend.servers import postgres_database

CATALOG = Path(__file__).resolve().parent / "catalog"
"""The backend's own test catalog (window hours fixed here, whatever the sample catalog says)."""
TODAY_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=CHINA)
"""A Wednesday: the horizon is Thu 26 Nov to Wed 2 Dec 2026 (5 working days)."""
FIRST_SLOT = "2026-11-26T09:00:00+08:00"
ENCRYPTION_KEY = Fernet.generate_key().decode()
LOOKUP_KEY = "test-lookup-key"


class Clock:
    """A settable "now" for ``app.config["NOW"]``."""

    def __init__(self, now: dt.datetime = TODAY_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, value: str | dt.datetime) -> None:
        self.now = dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def id_number(born: dt.date = dt.date(1985, 6, 15), serial: int = 1, region: str = "150204") -> str:
    """A valid 18-digit ID number (GB 11643 check digit) for tests."""
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


_people = count(1)


def person(**overrides) -> dict[str, str]:
    """A new, distinct applicant each call."""
    n = next(_people)
    values = {
        "name": "张三",
        "id_number": id_number(serial=n),
        "phone": f"138{n:08d}",
    }
    values.update(overrides)
    return values


def confirmed_2027(tmp_path: Path) -> Path:
    """A copy of the backend catalog whose calendar.yml confirms 2027 (元旦 off, 9 Jan worked)."""
    catalog_dir = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog_dir)
    (catalog_dir / "calendar.yml").write_text(
        "holidays:\n  - {date: 2027-01-01, name: 元旦}\nworkdays:\n  - {date: 2027-01-09, name: 调休上班}\n"
        "confirmed_years:\n  - {year: 2027, notice: 国务院办公厅关于2027年部分节假日安排的通知}\n",
        encoding="utf-8",
    )
    return catalog_dir


@pytest.fixture(scope="session")
def backend_catalog():
    return load_catalog(CATALOG)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backend_config(tmp_path: Path, clock: Clock) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SECRET_KEY": "test-secret",
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "LOOKUP_KEY": LOOKUP_KEY,
        "NOW": clock,
        "RATELIMIT_ENABLED": False,
        "NOTIFY_CHANNEL": "none",
        "SITE_ORIGIN": "https://guide.example.cn",
        "CATALOG_PATH": str(CATALOG),
    }


@pytest.fixture
def app(backend_config: dict):
    app = create_app(backend_config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def book(client) -> Callable[..., object]:
    """POST /api/bookings with a fresh person and the first slot unless overridden."""

    def book(**overrides):
        body = {"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()}
        body.update(overrides)
        return client.post("/api/bookings", json=body)

    return book


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class StaffActions:
    """Create staff accounts and sign in through the real login form."""

    def __init__(self, client, runner) -> None:
        self._client = client
        self._runner = runner

    def create(
        self,
        username: str = "wangfang",
        password: str = "correct horse battery",
        windows: str = "",
        role: str = "",
        department: str = "",
        keep_password: bool = True,
        name: str = "王芳",
    ) -> None:
        args = ["users", "create", username, "--name", name, "--password", password]
        if keep_password:  # no forced change at first sign-in
            args.append("--keep-password")
        if windows:
            args += ["--windows", windows]
        if role:
            args += ["--role", role]
        if department:
            args += ["--department", department]
        result = self._runner.invoke(args=args)
        assert result.exit_code == 0, result.output

    def login(self, username: str = "wangfang", password: str = "correct horse battery"):
        page = self._client.get("/staff/login")
        return self._client.post(
            "/staff/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        )

    def logout(self):
        page = self._client.get("/staff/", follow_redirects=True)  # department staff: cases
        return self._client.post("/staff/logout", data={"csrf_token": csrf_token(page.text)})


@pytest.fixture
def staff(client, runner) -> Iterator[StaffActions]:
    yield StaffActions(client, runner)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    """A SQLAlchemy URL for each embedded and production database: a temp SQLite file, then a
    throwaway database on the real PostgreSQL server (a failure, not a skip, under CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'banshi.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


def server_settings(database_url: str, tmp_path: Path, secret: str) -> tuple[dict, dict]:
    """The config of a migrated app on ``database_url`` and the same settings as the
    ``BANSHI_*`` environment of a gunicorn server on it (clock frozen at TODAY_NOW)."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secret,
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "LOOKUP_KEY": LOOKUP_KEY,
        "CATALOG_PATH": str(CATALOG),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "AUTO_CREATE_TABLES": False,
        "RATELIMIT_ENABLED": False,
        "NOTIFY_CHANNEL": "none",
    }
    env = {f"BANSHI_{key}": str(value) for key, value in config.items()}
    env.update(
        BANSHI_AUTO_CREATE_TABLES="false",
        BANSHI_RATELIMIT_ENABLED="false",
        BANSHI_NOW=TODAY_NOW.isoformat(),
    )
    return config, env


def migrated_app(
    database_url: str,
    folder: Path,
    *,
    catalog: Path = CATALOG,
    migrate: bool = True,
    secret: str = "benchmark",
):
    """A backend app on ``database_url`` with :func:`server_settings`' configuration, its schema
    brought up to date by the Alembic migrations (``migrate``; otherwise the tables are created
    from the models): the database a gunicorn server of a test or benchmark then serves."""
    from flask_migrate import upgrade

    config, _ = server_settings(database_url, folder, secret)
    app = create_app({**config, "CATALOG_PATH": str(catalog), "AUTO_CREATE_TABLES": not migrate})
    with app.app_context():
        if migrate:
            upgrade()
        db.engine.dispose()
    return app


@pytest.fixture
def backend_url(app) -> Iterator[str]:
    """The test's app served by a real HTTP server on 127.0.0.1 (for Chromium tests)."""
    from tests.browser import serving_wsgi

    with serving_wsgi(app) as url:
        yield url


@pytest.fixture(scope="module")
def backend_browser() -> Iterator[object]:
    """One headless Chromium for the test module (skipped without it, a failure under CI)."""
    from tests.browser import launched_browser, require_chromium

    with launched_browser(require_chromium()) as browser:
        yield browser


def scripts_needed(html: str) -> list[str]:
    """The page's script tags other than the optional 长辈版 switch: a page that works without
    JavaScript has none (the browser tests also run such pages with JavaScript off)."""
    return [
        tag
        for tag in re.findall(r"<script[^>]*>", html)
        if tag != '<script src="/bookings/static/elder.js">'
    ]
