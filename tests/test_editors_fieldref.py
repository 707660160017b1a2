"""The generated field reference: complete, documented, and the committed page is current.

Datasette's test_docs idea: a schema field without a title or description fails the suite.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pydantic import Field

import build
from catalog import fieldref
from catalog.common import CatalogModel
from catalog.fieldref import FileKind, all_models, render, run_fieldref, undocumented
from catalog.schema import schemas

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "editors" / "fields.md"


def test_every_schema_field_has_a_title_and_description() -> None:
    assert undocumented() == []


def test_a_field_without_description_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    class Careless(CatalogModel):
        documented: str = Field(title="有说明", description="这个字段有说明。")
        bare: str = Field(title="没有说明")

    monkeypatch.setattr(fieldref, "FILE_KINDS", (FileKind("测试", "test.yml", Careless),))
    monkeypatch.setitem(fieldref.MODEL_NAMES, Careless, "测试")
    assert undocumented() == ["Careless.bare（缺少 description）"]
    with pytest.raises(fieldref.UndocumentedField):
        render()


def test_reference_covers_every_model_in_the_json_schema() -> None:
    in_schema = set()
    for model in schemas().values():
        schema = model.model_json_schema()
        in_schema.add(schema["title"])
        in_schema.update(
            name
            for name, definition in schema.get("$defs", {}).items()
            if "properties" in definition
        )
    documented = {model.__name__ for model in all_models()}
    assert in_schema - documented == set()


def test_reference_has_a_row_for_every_field_under_its_model() -> None:
    page = render()
    for model in all_models():
        heading = f'<a id="{fieldref.anchor(model)}"></a>\n\n### {fieldref.MODEL_NAMES[model]}\n'
        assert heading in page, model.__name__
        section = page.split(heading, 1)[1].split("\n### ", 1)[0]
        for name, info in model.model_fields.items():
            assert f"| `{name}` | {info.title} |" in section, f"{model.__name__}.{name}"


def test_enum_values_and_requirement_are_shown() -> None:
    page = render()
    assert "| `kind` | 事项类别 | 必填 | 以下之一：`公共服务`、`依申请`、`依职权` |" in page
    assert "| `copies` | 份数 | 选填，默认 `1` | 整数（1–20） |" in page


def test_committed_field_reference_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/editors/fields.md is stale: run python build.py fieldref"
    )


def test_fieldref_check_fails_on_a_stale_page_and_passes_after_writing(tmp_path: Path) -> None:
    page = tmp_path / "fields.md"
    page.write_text("# 旧的字段参考\n", encoding="utf-8")
    out = io.StringIO()
    assert run_fieldref(page, check=True, out=out) == 1
    assert "已过期。请运行 python build.py fieldref 重新生成" in out.getvalue()
    assert page.read_text(encoding="utf-8") == "# 旧的字段参考\n"
    assert build.main(["fieldref", "--out", str(page)]) == 0
    assert run_fieldref(page, check=True, out=io.StringIO()) == 0
    assert page.read_text(encoding="utf-8") == render()
