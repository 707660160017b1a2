"""Browser fixtures for the built guide: the sample site built once per session, served by a
threaded http.server on a random port (``/api/items/<id>/next-slot`` answers like the forms
backend), one Chromium per test module and a fresh page per test that fails on JavaScript errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.builder import build_site
from tests.browser import QuietFiles, launched_browser, require_chromium, serving_directory

ROOT = Path(__file__).resolve().parent.parent
NEXT_SLOT = {"start": "2026-11-26T09:00:00+08:00", "end": "2026-11-26T09:30:00+08:00"}


class _Handler(QuietFiles):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        match = re.fullmatch(r"/api/items/([a-z0-9-]+)/next-slot", self.path)
        if match and match.group(1) == "business-licence":
            body = json.dumps({"item": match.group(1), **NEXT_SLOT}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("browser-site")
    build_site(ROOT / "catalog_yaml", target, strict=True, quiet=True)
    return target


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with serving_directory(site_dir, _Handler) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Per module: Playwright's sync API refuses to start while another module's is running."""
    with launched_browser(require_chromium()) as browser:
        yield browser


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
