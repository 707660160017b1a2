"""``build.py serve``: one local URL for the site and the backend, rebuilt when YAML changes."""

from __future__ import annotations

import importlib.util
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.preview import UnknownEntry, preview_files
from site_gen.serve import STATUS_PATH, PreviewServer

HAS_BACKEND = importlib.util.find_spec("forms_backend") is not None


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(catalog_dir: Path, tmp_path: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(
        catalog_dir, port=0, only="business-licence", instance_path=tmp_path / "instance"
    )
    preview.start()
    yield preview
    preview.stop()


def test_preview_serves_the_entry_and_its_neighbours(server: PreviewServer) -> None:
    status, html = fetch(server.url + "items/business-licence/")
    assert status == 200 and "个体工商户设立登记" in html
    assert fetch(server.url + "bundles/low-risk-food-business/")[0] == 200
    assert fetch(server.url + "departments/health/")[0] == 404  # not around this item
    assert STATUS_PATH in html  # the reload script is injected


def test_saving_yaml_rebuilds_the_page(server: PreviewServer, catalog_dir: Path) -> None:
    item = catalog_dir / "items" / "business-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("name: 个体工商户设立登记", "name: 个体户登记"),
        encoding="utf-8",
    )
    assert wait_for(lambda: "个体户登记" in fetch(server.url + "items/business-licence/")[1])
    assert wait_for(lambda: json.loads(fetch(server.url + STATUS_PATH[1:])[1])["build"] == 2)


def test_broken_yaml_keeps_the_last_site_and_reports_the_problem(
    server: PreviewServer, catalog_dir: Path
) -> None:
    item = catalog_dir / "items" / "business-licence.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("visits: 0", "visits: 很多"), "utf-8")

    def reported() -> bool:
        return json.loads(fetch(server.url + STATUS_PATH[1:])[1])["error"] is not None

    assert wait_for(reported)
    error = json.loads(fetch(server.url + STATUS_PATH[1:])[1])["error"]
    assert str(catalog_dir / "items" / "business-licence.yml") in error  # the editor's own file
    assert fetch(server.url + "items/business-licence/")[0] == 200


@pytest.mark.skipif(not HAS_BACKEND, reason="forms_backend is not in this checkout")
def test_backend_routes_share_the_url(server: PreviewServer) -> None:
    assert server.wait_until_ready()  # the backend loads after the first page is served
    status, body = fetch(server.url + "api/items/business-licence/next-slot")
    assert status == 200
    assert "start" in json.loads(body)


def test_preview_catalog_holds_the_entry_its_bundles_and_their_items(catalog_dir: Path) -> None:
    files = {str(p) for p in preview_files(catalog_dir, "food-licence")}
    assert {
        "items/food-licence.yml",
        "items/business-licence.yml",  # a sibling sub-item of the bundle
        "bundles/low-risk-food-business.yml",
        "settings.yml",
        "places.yml",
    } <= files
    with pytest.raises(UnknownEntry):
        preview_files(catalog_dir, "no-such-entry")


def test_unknown_entry_stops_serve_with_a_message(catalog_dir: Path, tmp_path: Path) -> None:
    preview = PreviewServer(catalog_dir, port=0, only="no-such-entry", backend=False)
    try:
        with pytest.raises(Exception, match="no-such-entry"):
            preview.start()
    finally:
        preview.stop()


def test_serve_command_prints_one_url_for_site_and_backend(
    catalog_dir: Path, tmp_path: Path
) -> None:
    import os
    import re
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "BANSHI_INSTANCE_PATH": str(tmp_path / "instance")}
    command = [sys.executable, "build.py", "serve", "--catalog", str(catalog_dir), "--port", "0"]
    process = subprocess.Popen(
        [*command, "--only", "food-licence"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        status, html = fetch(url.group(0) + "items/food-licence/")
        assert status == 200 and "食品经营许可" in html
    finally:
        process.terminate()
        process.wait(timeout=30)
