"""Reading catalog YAML safely: bad files give a positioned Chinese message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.yamlfile import MAX_ALIASES, MAX_FILE_BYTES, Locator, YamlProblem, read


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "entry.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 12):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, "\n".join(lines)))
    assert f"别名（*引用）超过 {MAX_ALIASES} 个" in caught.value.message
    assert caught.value.line == 7


def test_a_few_aliases_are_allowed(tmp_path: Path) -> None:
    data, duplicates = read(write(tmp_path, "a: &x [1, 2]\nb: *x\n"))
    assert data == {"a": [1, 2], "b": [1, 2]}
    assert duplicates == []


def test_python_tags_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, "name: !!python/object/apply:os.system ['true']\n"))
    assert "不允许的标签" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 7)


def test_duplicate_keys_are_reported_with_both_lines(tmp_path: Path) -> None:
    data, duplicates = read(write(tmp_path, "name: 甲\nvisits: 1\nname: 乙\n"))
    assert data["name"] == "乙"
    assert [(d.line, d.column) for d in duplicates] == [(3, 1)]
    assert (
        duplicates[0].message
        == "字段“name”重复出现（第一次在第 1 行）。同一层级的字段只能写一次，请删除或合并其中一个。"
    )


def test_gbk_file_asks_for_utf8(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, "name: 营业执照\n".encode("gbk")))
    assert (
        caught.value.message
        == "文件不是 UTF-8 编码。请在编辑器中把文件另存为 UTF-8 编码（不要用 GBK）。"
    )
    assert caught.value.line == 1


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, "notes: " + "x" * MAX_FILE_BYTES + "\n"))
    assert "超过了 512 KB 的上限" in caught.value.message


def test_unclosed_quote_points_at_the_line(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, 'id: a\nname: "营业执照\nkind: 依申请\n'))
    assert caught.value.message == "引号没有配对。请补上结尾的引号。"


def test_locator_finds_nested_keys_and_falls_back_to_parent(tmp_path: Path) -> None:
    path = write(tmp_path, "id: a\nmaterials:\n  - name: 甲\n  - name: 乙\n    copies: 2\n")
    locator = Locator(path)
    assert locator.locate(("materials", 1, "copies")) == (5, 5)
    assert locator.locate(("materials", 1, "form")) == (4, 5)
    assert locator.locate(("missing",)) == (1, 1)
