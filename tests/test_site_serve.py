"""``build.py serve``: one local URL for the site and the backend, rebuilt when YAML changes."""

from __future__ import annotations

import importlib.util
import json
import re
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


def test_first_page_is_served_before_the_backend_has_loaded(
    catalog_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import site_gen.serve as serve

    release = threading.Event()
    real = serve.load_backend

    def slow_backend(catalog: Path, instance_path: Path | None = None):
        release.wait(60)  # the whole catalog loads for the backend: seconds on a big one
        return real(catalog, instance_path)

    monkeypatch.setattr(serve, "load_backend", slow_backend)
    preview = PreviewServer(
        catalog_dir, port=0, only="food-licence", instance_path=tmp_path / "instance"
    )
    try:
        preview.start()
        status, html = fetch(preview.url + "items/food-licence/")
        assert status == 200 and "食品经营许可" in html
        assert preview.backend is None  # still loading, and the page did not wait for it
    finally:
        release.set()
        preview.stop()


def test_backend_key_notice_is_one_chinese_line_for_the_whole_session(
    server: PreviewServer, catalog_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.WARNING)
    assert server.wait_until_ready()
    item = catalog_dir / "items" / "business-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("name: 个体工商户设立登记", "name: 个体户登记"),
        encoding="utf-8",
    )
    assert wait_for(lambda: server.build_number == 2)
    assert server.wait_until_ready()  # the backend was loaded again with the new catalog
    notices = [r.getMessage() for r in caplog.records if r.name.startswith("forms_backend")]
    assert len(notices) <= 1
    assert all("开发用密钥" in n and "No " not in n for n in notices)


def test_problems_are_listed_once_in_the_editors_files_the_entrys_own_first(
    catalog_dir: Path, tmp_path: Path
) -> None:
    from catalog.problems import Problem

    preview = PreviewServer(catalog_dir, port=0, only="food-licence", backend=False)
    scratch = tmp_path / "preview-catalog"
    own = Problem(scratch / "items/food-licence.yml", ("visits",), "应为整数。", line=30)
    problems = [
        Problem(scratch / "calendar.yml", (), "尚未收录 2027 年。", warning=True, line=3),
        Problem(scratch / "bundles/low-risk-food-business.yml", (), "缺少子项。", line=5),
        own,
        own,  # reported twice by two checks: shown once
    ]
    try:
        report = preview._problem_report(problems, scratch, changed=set())
    finally:
        preview.stop()
    lines = [line.strip() for line in report.splitlines()[1:]]
    assert lines == [
        f"{catalog_dir / 'items/food-licence.yml'}:30:1: 应为整数。",
        f"{catalog_dir / 'bundles/low-risk-food-business.yml'}:5:1: 缺少子项。",
        f"{catalog_dir / 'calendar.yml'}:3:1: 警告：尚未收录 2027 年。",
    ]
    assert str(scratch) not in report


ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
"""Three English words in a row: a sentence the editor cannot be expected to read."""


def test_serve_only_prints_chinese_and_each_problem_once(catalog_dir: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = {**os.environ, "BANSHI_INSTANCE_PATH": str(tmp_path / "instance")}
    command = [sys.executable, "build.py", "serve", "--catalog", str(catalog_dir), "--port", "0"]
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [*command, "--only", "food-licence"], cwd=root, env=env, stdout=stdout, stderr=stderr
        )
    item = catalog_dir / "items" / "food-licence.yml"
    try:
        assert wait_for(lambda: "http://127.0.0.1:" in out.read_text(), timeout=120)
        text = item.read_text(encoding="utf-8")
        item.write_text(text.replace("name: 食品经营许可", "name: 食品许可", 1), "utf-8")
        assert wait_for(lambda: "预览已更新" in err.read_text(), timeout=120)
        item.write_text(text.replace("visits: 1", "visits: 很多", 1), "utf-8")
        assert wait_for(lambda: "预览没有更新" in err.read_text(), timeout=120)
    finally:
        process.terminate()
        process.wait(timeout=60)
    output = out.read_text() + err.read_text()
    problem_lines = [line for line in output.splitlines() if "food-licence.yml:" in line]
    assert len(problem_lines) == 1, output  # one error block, printed once
    assert str(item) in problem_lines[0] and "很多" in problem_lines[0]
    assert "banshi-serve-" not in output  # never the preview's scratch path
    for line in output.splitlines():
        words = re.sub(r"\S*[/\\.:]\S*", " ", line)  # paths, URLs, file names
        assert not ENGLISH.search(words), line


@pytest.mark.skipif(not HAS_BACKEND, reason="forms_backend is not in this checkout")
def test_the_editor_is_told_once_when_the_backend_is_ready(
    catalog_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.WARNING, logger="banshi.serve")
    preview = PreviewServer(
        catalog_dir, port=0, only="business-licence", instance_path=tmp_path / "instance"
    )
    preview.start()
    try:
        assert preview.wait_until_ready()
        item = catalog_dir / "items" / "business-licence.yml"
        item.write_text(
            item.read_text(encoding="utf-8").replace(
                "name: 个体工商户设立登记", "name: 个体户登记"
            ),
            encoding="utf-8",
        )
        assert wait_for(lambda: preview.build_number == 2)
        assert preview.wait_until_ready()  # loaded again: no second notice
    finally:
        preview.stop()
    ready = [r.getMessage() for r in caplog.records if "表单后台已启动" in r.getMessage()]
    assert ready == [f"表单后台已启动：{preview.url}bookings/new 可以预约。"]
