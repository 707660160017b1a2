"""Database engine set-up: SQLite PRAGMAs on connect, and table creation for development."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from .extensions import db


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.close()

        auto = app.config["AUTO_CREATE_TABLES"]
        if auto is None:
            auto = engine.dialect.name == "sqlite"
        if auto:
            create_tables()


def create_tables() -> None:
    """``db.create_all()``, tolerant of another worker creating the same tables right now."""
    for attempt in range(5):
        try:
            db.create_all()
            return
        except OperationalError as error:
            if "already exists" not in str(error) and "locked" not in str(error):
                raise
            time.sleep(0.1 * (attempt + 1))
    db.create_all()
