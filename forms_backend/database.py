"""Database engine set-up: SQLite PRAGMAs on connect, and table creation for development."""

from __future__ import annotations

import fcntl
import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import Connection, Executable, event
from sqlalchemy.exc import DBAPIError, OperationalError

from .extensions import db, the_app


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        app.extensions["banshi_write_lock"] = (
            f"{database}.write-lock" if database and database != ":memory:" else None
        )
        if engine.dialect.name == "sqlite":
            busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
            synchronous = str(app.config["SQLITE_SYNCHRONOUS"]).upper()
            if synchronous not in ("FULL", "NORMAL"):
                raise ValueError(
                    f"SQLITE_SYNCHRONOUS must be FULL or NORMAL, got {synchronous!r} "
                    '(see docs/backend.md, "What a power cut can lose").'
                )

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute(f"PRAGMA synchronous = {synchronous}")
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


@contextmanager
def write_lock() -> Iterator[None]:
    """Serialise short write transactions between processes on SQLite.

    SQLite allows one writer; waiting writers otherwise poll with growing sleeps (busy_timeout),
    which gives long tail latencies under load. An exclusive ``flock`` on a side file wakes the
    next writer as soon as the lock is released. PostgreSQL needs nothing: this is a no-op there.
    """
    path = the_app().extensions.get("banshi_write_lock")
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


SQLITE_AUTOCHECKPOINT = 1000
"""SQLite's default ``wal_autocheckpoint`` (pages), which the other connections keep."""
CHECKPOINT_EVERY = 100
"""Bookings per worker between the WAL checkpoints ``checkpoint_outside_lock`` runs."""
_uses = itertools.count(1)


@contextmanager
def checkpoint_outside_lock(connection: Connection) -> Iterator[None]:
    """On SQLite, run the WAL checkpoint of this connection's commits on a schedule of its own.

    A commit that crosses ``wal_autocheckpoint`` pages runs the checkpoint itself, with two
    fsyncs, while the committing worker still holds the write lock: every other booking waited
    (up to 100+ ms on a busy machine). Inside this block the connection's commits do not
    checkpoint; afterwards, every ``CHECKPOINT_EVERY`` uses per worker, a PASSIVE checkpoint
    (it never waits for readers) runs after the caller's own write lock was released.

    That checkpoint takes ``write_lock()`` itself: SQLite starts the WAL file over only when a
    checkpoint has copied every frame and no commit came after it. Run while other workers
    committed, it never did under steady load: the WAL grew by 36 KB a booking (76 MB after
    2,000 bookings) and every page a booking read came out of it. With the lock the WAL starts
    over after each checkpoint (docs/benchmarks.md, issue 9 third pass). The checkpoint copies
    at most the frames of ``CHECKPOINT_EVERY`` bookings per worker. Durability is unchanged:
    commits are in the WAL either way. A no-op on PostgreSQL.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT}")
    if next(_uses) % CHECKPOINT_EVERY == 0:
        with write_lock():  # no commit between the checkpoint and the next writer: WAL restarts
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


class Prepared:
    """A Core statement compiled once per dialect and run on the connection's DB-API cursor.

    For the booking hot path: SQLAlchemy's per-execution work (cache key, parameter and result
    set-up) cost several times the statement itself on SQLite (docs/benchmarks.md). Values go
    through the bind processors SQLAlchemy would apply (``ChinaDateTime``, ``Date``,
    ``Boolean``); an INSERT gets its columns' scalar Python defaults; DB-API errors are raised
    as SQLAlchemy's (``IntegrityError``). It runs in the SQLAlchemy connection's transaction
    (begun here if needed), so ``connection.commit()`` / ``rollback()`` cover it.

    ``keys``: the parameter names every call passes (an INSERT's columns).
    """

    def __init__(self, statement: Executable, keys: tuple[str, ...] = ()) -> None:
        self.statement = statement
        self.keys = keys
        self._compiled: dict[str, tuple] = {}

    def _for(self, dialect) -> tuple:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=list(self.keys))
            fixed = {
                name: bind.value
                for name, bind in compiled.binds.items()
                if not bind.required and bind.callable is None
            }
            for column in compiled.insert_prefetch:
                if column.default is None or not column.default.is_scalar:
                    raise ValueError(f"Prepared: give {column.key!r}, its default is not a value")
                fixed[column.key] = column.default.arg
            processors = dict(compiled._bind_processors)
            results = [  # per result column: SQLAlchemy's result processor (e.g. SQLite dates)
                column[3]._cached_result_processor(dialect, None)
                for column in compiled._result_columns
            ]
            found = (compiled.string, compiled.positiontup, fixed, processors, results)
            self._compiled[dialect.name] = found
        return found

    def run(self, connection: Connection, params: dict):
        """Execute with ``params``; the DB-API cursor (``fetchone()``, ``rowcount``)."""
        dialect = connection.dialect
        sql, order, fixed, processors, _results = self._for(dialect)
        values = {**fixed, **params}
        for name, process in processors.items():
            values[name] = process(values[name])
        args = values if order is None else [values[name] for name in order]
        if not connection.in_transaction():
            connection.begin()
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, args)
        except dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error) from error
        return cursor

    def first(self, connection: Connection, params: dict) -> tuple | None:
        """The first row (result processors applied), or None."""
        row = self.run(connection, params).fetchone()
        if row is None:
            return None
        results = self._for(connection.dialect)[4]
        return tuple(
            value if p is None else p(value) for p, value in zip(results, row, strict=True)
        )
