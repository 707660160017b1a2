"""The app factory: works with no configuration, configuration precedence, URL ownership."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pytest

from forms_backend import create_app
from forms_backend.config import DEFAULTS, database_url_from_env
from forms_backend.extensions import db

DOCS = Path(__file__).resolve().parent.parent / "docs" / "backend.md"


def test_runs_with_no_configuration(tmp_path, monkeypatch, caplog):
    for name in ("DATABASE_URL", "BANSHI_SECRET_KEY", "BANSHI_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BANSHI_INSTANCE_PATH", str(tmp_path / "instance"))
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert "development keys" in caplog.text
    database = tmp_path / "instance" / "banshi.sqlite3"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{database}"
    client = app.test_client()
    assert client.get("/api/items").status_code == 200  # the shipped sample catalog
    with app.app_context():
        db.engine.dispose()
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = create_app()  # a second worker reuses the same development keys
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    assert again.config["ENCRYPTION_KEY"] == app.config["ENCRYPTION_KEY"]
    with again.app_context():
        db.engine.dispose()


def test_configuration_precedence(tmp_path, monkeypatch, backend_config):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SLOT_MINUTES = 45\nCANCEL_HOURS_BEFORE = 5\nNO_SHOW_LIMIT = 9\n"
    )
    monkeypatch.setenv("BANSHI_CANCEL_HOURS_BEFORE", "4")
    monkeypatch.setenv("BANSHI_NO_SHOW_LIMIT", "7")
    config = {k: v for k, v in backend_config.items() if k != "SLOT_MINUTES"}
    app = create_app({**config, "INSTANCE_PATH": str(instance), "NO_SHOW_LIMIT": 2})
    assert app.config["SLOT_MINUTES"] == 45  # instance file over defaults
    assert app.config["CANCEL_HOURS_BEFORE"] == 4  # environment over instance file
    assert app.config["NO_SHOW_LIMIT"] == 2  # the argument over everything
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////var/banshi.db", "sqlite:////var/banshi.db"),
    ],
)
def test_database_url_uses_psycopg_3(url, expected):
    assert database_url_from_env(url) == expected


def test_backend_owns_only_its_url_prefixes(app):
    for rule in app.url_map.iter_rules():
        assert rule.rule.startswith(
            ("/api/", "/bookings/", "/staff/", "/apply/", "/evaluations/", "/feedback/", "/queue/")
        ), rule.rule


def test_every_setting_is_documented():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))
    missing = set(DEFAULTS) - documented
    assert not missing, f"document these settings in docs/backend.md: {sorted(missing)}"
