"""Browser-test helpers shared by the site and backend tests: Debian's Chromium via Playwright.

``playwright install`` cannot download browsers here, so tests drive ``/usr/bin/chromium``.
Without it a browser test module is skipped on a developer machine but fails under CI.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Flags for a root, headless, offline machine (background networking is refused here)."""

UI_LANGUAGE = {"LANGUAGE": "zh_CN"}
"""Chromium's own words on our pages (the file picker's 选择文件, the date field's 年/月/日) in
Chinese, as a citizen's browser shows them: Chromium on Linux takes its interface language from
``LANGUAGE`` and needs Debian's ``chromium-l10n`` for it; ``navigator.language`` follows."""


def require_chromium() -> ModuleType:
    """Playwright's sync API; skip the calling module without Chromium, or fail under CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def launched_browser(sync_api: ModuleType) -> Iterator[Any]:
    """A headless Chromium for the duration of the block."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*ARGS, "--lang=zh-CN"],
            env={**os.environ, **UI_LANGUAGE},
        )
        yield browser
        browser.close()


@contextmanager
def _serving(server: Any) -> Iterator[str]:
    """Run ``server`` (a socketserver on 127.0.0.1) in a thread; yield its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving_wsgi(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a random port of 127.0.0.1 in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    with _serving(make_server("127.0.0.1", 0, app, threaded=True)) as url:
        yield url


class Relay:
    """A TCP relay on 127.0.0.1 to a local server that a test can cut like a network blip:
    ``cut()`` drops every open connection and closes new ones at once until ``restore()``."""

    def __init__(self, target: str) -> None:
        self.target = ("127.0.0.1", int(target.rsplit(":", 1)[1]))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = True
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._drop(source, sink)

    def _drop(self, *sockets: socket.socket) -> None:
        for one in sockets:
            with self._lock:
                self._open.discard(one)
            try:
                one.shutdown(socket.SHUT_RDWR)  # wakes the thread reading it
            except OSError:
                pass
            one.close()

    def cut(self) -> None:
        self.up = False
        with self._lock:
            sockets = list(self._open)
        self._drop(*sockets)

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving_directory(directory: Path, handler: type = QuietFiles) -> Iterator[str]:
    """Serve a built site's files on a random port of 127.0.0.1; yield its base URL (ending in /)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    with _serving(server) as url:
        yield url + "/"


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    return violations(page, frozenset({"serious", "critical"}))


def violations(page: Any, impacts: frozenset[str] | None = None) -> list[str]:
    """axe-core's violations on the current page (of the given impacts; all by default),
    one line each."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in Axe().run(page).response["violations"]
        if impacts is None or v["impact"] in impacts
    ]
