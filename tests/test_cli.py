"""``python build.py``: exit codes 0 ok, 1 catalog invalid, 2 usage error; no traceback for editors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_check_passes_on_the_shipped_catalog() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


def test_check_exits_1_with_messages_and_no_traceback(catalog_dir: Path) -> None:
    item = catalog_dir / "items" / "food-licence.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("visits: 1", "visits: 一次"), encoding="utf-8"
    )
    result = run("check", "--catalog", str(catalog_dir))
    assert result.returncode == 1
    assert "items/food-licence.yml:29:1: visits（到现场次数）应为整数" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_catalog_directory_is_a_catalog_error(tmp_path: Path) -> None:
    result = run("check", "--catalog", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "找不到目录" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run("chek")
    assert result.returncode == 2
    assert "用法错误" in result.stderr


def test_stale_schema_is_a_warning_not_an_error(catalog_dir: Path) -> None:
    result = run("check", "--catalog", str(catalog_dir))
    assert result.returncode == 0
    assert "JSON Schema 已过期" in result.stdout
    result = run("check", "--catalog", str(catalog_dir), "--write-schema")
    assert result.returncode == 0
    assert "JSON Schema 已过期" not in result.stdout
    assert (catalog_dir / "schema" / "item.schema.json").is_file()
