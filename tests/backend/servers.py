"""Real servers for tests: PostgreSQL databases made per session, gunicorn on a random port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def unavailable(what: str, error: Exception) -> None:
    """Skip locally, but fail under CI: the real services are part of what CI must test."""
    message = f"{what} is not reachable ({error})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run this test against the real service.")
    pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A uniquely named PostgreSQL database, dropped afterwards; yields its SQLAlchemy URL."""
    import psycopg

    name = f"banshi_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        unavailable("PostgreSQL at 127.0.0.1:5432", error)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server(str):
    """The base URL of a running server, with the gunicorn master's process id."""

    pid: int


def process_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of the gunicorn master's worker processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    env: dict[str, str],
    workers: int = 2,
    app: str = "forms_backend:create_app()",
    options: tuple[str, ...] = (),
) -> Iterator[Server]:
    """Run ``app`` under gunicorn on 127.0.0.1:<random port> (extra command-line ``options``);
    yields the base URL."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            *options,
            app,
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), **os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = Server(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        deadline = time.monotonic() + 120  # 4 workers on a loaded 2-core machine
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read()}")
            try:
                requests.get(f"{base}/api/openapi.json", timeout=5)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 120 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def notification_worker(env: dict[str, str], log: Path, workers: int = 1) -> subprocess.Popen:
    """Start ``flask notifications worker`` (a real Huey consumer process) with ``env``; its
    output goes to the file ``log`` (a pipe could fill up and block it)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "forms_backend",
            "notifications",
            "worker",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), **os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
