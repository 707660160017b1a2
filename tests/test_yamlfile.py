"""Reading catalog YAML safely: bad files give a positioned Chinese message, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog import fullwidth
from catalog.yamlfile import (
    MAX_ALIASES,
    MAX_FILE_BYTES,
    Locator,
    YamlProblem,
    full_width_warnings,
    read,
)


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


# ---------------------------------------------------------------- full-width punctuation

SAMPLE = Path(__file__).resolve().parent.parent / "catalog_yaml"


def problems_of(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every problem that stops reading ``text``."""
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, text))
    return [(p.line, p.column, p.message) for p in caught.value.each]


def test_chinese_punctuation_inside_values_is_never_reported() -> None:
    for path in sorted(SAMPLE.rglob("*.yml")):
        assert fullwidth.scan(path.read_text(encoding="utf-8")) == [], path


def test_comments_blocks_and_quoted_items_may_hold_full_width_punctuation(tmp_path: Path) -> None:
    text = (
        "# 说明：visits：1 这样写是错的\n"
        "summary: |\n"
        "  visits：1\n"
        "  　　aliases: [甲，乙]\n"
        'aliases: ["甲，乙", 丙]\n'
        "conditions:\n"
        "  - 申请人：本人，到场\n"
        "  - 　首行缩进的文字\n"
        "notes: 材料名称写作“居民身份证”\n"
    )
    data, problems = read(write(tmp_path, text))
    assert problems == [] and fullwidth.scan(text) == []
    assert data["aliases"] == ["甲，乙", "丙"]


def test_every_full_width_mistake_in_a_file_is_reported_at_its_column(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "id: a\nvisits：1\naliases: [甲，乙，丙]\n  　name: x\n")
    assert [(line, column) for line, column, _ in found] == [(2, 7), (3, 12), (4, 3)]
    assert "全角冒号“：”" in found[0][2] and "例如 visits: 1。" in found[0][2]
    assert "写成 3 项（甲、乙、丙）" in found[1][2] and "[甲, 乙, 丙]" in found[1][2]
    assert "全角空格（U+3000" in found[2][2]


def test_full_width_comma_in_a_list_is_found_on_the_fast_path_too(tmp_path: Path) -> None:
    """The list parses (as one item), so the fast path itself must notice the comma."""
    ((line, column, message),) = problems_of(tmp_path, "id: a\nwhen: {agent: [yes，no]}\n")
    assert (line, column) == (2, 19)
    assert message.startswith("方括号列表里的“，”是全角逗号")


def test_key_without_space_after_its_colon_is_reported(tmp_path: Path) -> None:
    ((line, column, message),) = problems_of(tmp_path, "id: a\nvisits:1\nurl: http://x\n")
    assert (line, column) == (2, 8)
    assert (
        message
        == "“visits:”后面缺少空格。YAML 要求冒号后面有一个英文空格，否则整行会被当成一段文字。请改为 visits: 1。"
    )


def test_curly_quotes_are_warnings_found_only_for_files_that_fail(tmp_path: Path) -> None:
    path = write(tmp_path, "id: “yes”\nname: “最多跑一次”\n")
    assert read(path) == ({"id": "“yes”", "name": "“最多跑一次”"}, [])
    warnings = full_width_warnings(path)
    assert [(w.line, w.column, w.warning) for w in warnings] == [(1, 5, True), (2, 7, True)]
    assert "Yaml" not in warnings[0].message and '写作 "yes"' in warnings[0].message


def test_missing_colon_is_reported_on_its_own_line_even_at_the_end(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        read(write(tmp_path, "id: a\nvisits 1\n"))
    assert (caught.value.line, caught.value.column) == (2, 1)
    assert caught.value.message.startswith("这一行既不是“字段: 值”也不是列表项：找不到英文冒号")


def test_parser_messages_have_no_english(tmp_path: Path) -> None:
    broken = [
        "a: [x, y\nb: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n  - x\n  b: 1\n",
        "a: 1\n---\nb: 2\n",
        'a: "\\q"\n',
        "a: - b\n",
        "a: &\n",
        "a: \x07\n",
        "份数：2\nb: 1\n",
    ]
    for text in broken:
        with pytest.raises(YamlProblem) as caught:
            read(write(tmp_path, text))
        assert not re.search(r"[A-Za-z]{4,}", caught.value.message.replace("YAML", "")), text
