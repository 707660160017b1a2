"""The editor guide's field reference, generated from the catalog models' titles and descriptions.

``python build.py fieldref`` writes ``docs/editors/fields.md``; ``--check`` only reports whether
the committed page is out of date. The page never drifts from the schema because nothing in it
is typed by hand: every row comes from a pydantic ``Field(title=..., description=...)``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, HttpUrl
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .bundle import Bundle, SubItem
from .item import (
    Booking,
    FaqEntry,
    Fee,
    FormField,
    Item,
    LegalBasis,
    Material,
    Option,
    Result,
    Situation,
    Step,
    TimeLimit,
)
from .loader import DepartmentsFile, PlacesFile, ThemesFile
from .materials import MaterialName, MaterialsFile
from .messages import Messages, MessageTemplate, MessageTemplates
from .place import Department, Flexible, Hall, Period, Window
from .search_words import WORD_PATTERN, SearchWords
from .settings import CalendarDay, CalendarOverrides, ConfirmedYear, Hotline, Settings
from .theme import Theme

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "editors" / "fields.md"


@dataclass(frozen=True)
class FileKind:
    """One kind of catalog file and the model its top level must match."""

    title: str
    files: str
    model: type[BaseModel]


FILE_KINDS = (
    FileKind("事项", "items/*.yml（每个事项一个文件）", Item),
    FileKind("一件事", "bundles/*.yml（每个一件事一个文件）", Bundle),
    FileKind("部门", "departments.yml", DepartmentsFile),
    FileKind("大厅和主题窗口", "places.yml", PlacesFile),
    FileKind("主题", "themes.yml", ThemesFile),
    FileKind("工作日日历", "calendar.yml", CalendarOverrides),
    FileKind("网站设置", "settings.yml", Settings),
    FileKind("材料词典", "materials.yml（可选）", MaterialsFile),
    FileKind("搜索用词", "search.yml（可选，见“搜索用词”一页）", SearchWords),
)
"""Every kind of catalog file, in the order the guide presents them."""

MODEL_NAMES: dict[type[BaseModel], str] = {
    Item: "事项",
    LegalBasis: "设定依据",
    Situation: "情形",
    Option: "情形选项",
    Material: "申请材料",
    Step: "办理环节",
    TimeLimit: "办结时限",
    Fee: "收费项目",
    Result: "办理结果",
    FaqEntry: "常见问题",
    FormField: "表单字段",
    Booking: "预约与延时服务",
    Bundle: "一件事",
    SubItem: "子项",
    DepartmentsFile: "departments.yml 顶层",
    Department: "部门",
    PlacesFile: "places.yml 顶层",
    Hall: "办事大厅",
    Window: "主题窗口",
    Period: "时间段",
    Flexible: "早晚弹性办",
    ThemesFile: "themes.yml 顶层",
    Theme: "主题",
    CalendarOverrides: "calendar.yml 顶层",
    CalendarDay: "日期",
    ConfirmedYear: "已确认的年份",
    Settings: "网站设置",
    Hotline: "服务热线",
    Messages: "短信和邮件",
    MessageTemplates: "消息模板",
    MessageTemplate: "一条消息",
    MaterialsFile: "materials.yml 顶层",
    MaterialName: "一种材料",
    SearchWords: "搜索用词",
}
"""The Chinese heading of each model's table."""

PATTERN_NAMES = {
    WORD_PATTERN: "词语（不含空格和标点）",
    r"^[a-z0-9][a-z0-9-]{0,79}$": "标识（小写字母、数字、连字符）",
    r"^(\d{3,4}-\d{7,8}(-\d{1,6})?|1\d{10}|\d{5,6})$": "电话号码",
    r"^([01]\d|2[0-3]):[0-5]\d$": "时间（如 09:00，加引号）",
    r"^\d{12}$": "12 位数字（加引号）",
    r"^[0-9A-Z]{20,40}$": "20–40 位数字或大写字母",
}
"""Plain names of the text patterns used in the models."""


class UndocumentedField(Exception):
    """A model field without a title or description: the guide would have a hole."""


def anchor(model: type[BaseModel]) -> str:
    """HTML anchor of a model's table, e.g. ``LegalBasis`` → ``legal-basis``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", model.__name__).lower()


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_nested_models(arg))
    return found


def models_in_order() -> list[tuple[FileKind, list[type[BaseModel]]]]:
    """For each file kind, the models first reached from it (each model appears once)."""
    seen: set[type[BaseModel]] = set()
    result = []
    for kind in FILE_KINDS:
        ordered: list[type[BaseModel]] = []
        queue = [kind.model]
        while queue:
            model = queue.pop(0)
            if model in seen:
                continue
            seen.add(model)
            ordered.append(model)
            for info in model.model_fields.values():
                queue.extend(_nested_models(info.annotation))
        result.append((kind, ordered))
    return result


def all_models() -> list[type[BaseModel]]:
    return [model for _, models in models_in_order() for model in models]


def undocumented() -> list[str]:
    """``Model.field`` for every field without a title or description, and unnamed models."""
    missing = []
    for model in all_models():
        if model not in MODEL_NAMES:
            missing.append(f"{model.__name__}（没有中文名称，请加入 MODEL_NAMES）")
        for name, info in model.model_fields.items():
            if not (info.title and info.title.strip()):
                missing.append(f"{model.__name__}.{name}（缺少 title）")
            if not (info.description and info.description.strip()):
                missing.append(f"{model.__name__}.{name}（缺少 description）")
    return missing


# ---------------------------------------------------------------- type descriptions


def _constraint(metadata: list[Any], name: str) -> Any:
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """(bare type, metadata) of ``Annotated[T, ...]``; other annotations pass through."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return base, metadata
    return annotation, []


def type_text(annotation: Any, metadata: list[Any] | None = None) -> str:
    """An annotation in plain Chinese, with links to nested models' tables."""
    annotation, extra = _annotated(annotation)
    metadata = [*(metadata or []), *extra]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " 或 ".join(type_text(a, metadata) for a in args)
    if origin is list:
        (inner,) = typing.get_args(annotation)
        return f"列表，每项是{type_text(inner)}"
    if origin is dict:
        return "情形标识: [选项标识, ...]"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{MODEL_NAMES.get(annotation, annotation.__name__)}](#{anchor(annotation)})"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "以下之一：" + "、".join(f"`{member.value}`" for member in annotation)
    if annotation is bool:
        return "`true` 或 `false`"
    if annotation is int:
        low, high = _constraint(metadata, "ge"), _constraint(metadata, "le")
        return f"整数（{low}–{high}）" if low is not None and high is not None else "整数"
    if annotation is Decimal:
        return "数字（最多两位小数）"
    if annotation is dt.date:
        return "日期（如 2026-01-31）"
    if annotation is HttpUrl:
        return "网址（http:// 或 https:// 开头）"
    if annotation is str:
        pattern = _constraint(metadata, "pattern")
        if pattern:
            return PATTERN_NAMES.get(pattern, f"符合 `{pattern}` 的文字")
        longest = _constraint(metadata, "max_length")
        return f"文字（最多 {longest} 字）" if longest else "文字"
    return str(getattr(annotation, "__name__", annotation))


def default_text(info: FieldInfo) -> str:
    """What an omitted optional field means."""
    if info.is_required():
        return "必填"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    else:
        value = info.default
    if value is None or value is PydanticUndefined:
        return "选填"
    if isinstance(value, list):
        if value and isinstance(value[0], BaseModel):
            names = "、".join(str(getattr(v, "name", v)) for v in value)
            return f"选填，默认 {names}"
        return f"选填，默认 {_yaml(value)}"
    if isinstance(value, BaseModel):
        return "选填，默认见下表各字段"
    return f"选填，默认 {_yaml(value)}"


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, Enum):
        return f"`{value.value}`"
    if isinstance(value, list):
        return "`[" + ", ".join(str(_plain(v)) for v in value) + "]`"
    return f"`{value}`"


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------- the page


def model_table(model: type[BaseModel]) -> list[str]:
    lines = [
        "| 字段 | 名称 | 填写 | 取值 | 说明 |",
        "|---|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{name}`",
                    _cell(info.title or ""),
                    _cell(default_text(info)),
                    _cell(type_text(info.annotation, list(info.metadata))),
                    _cell(info.description or ""),
                ]
            )
            + " |"
        )
    return lines


def render() -> str:
    """The whole field reference page (Markdown, Chinese)."""
    missing = undocumented()
    if missing:
        raise UndocumentedField("以下字段缺少说明：" + "；".join(missing))
    lines = [
        "# 字段参考",
        "",
        "本页由 `python build.py fieldref` 根据事项目录的数据模型自动生成，列出每种文件里可以写的全部字段。"
        "请不要手工修改本页：字段的名称和说明写在 `catalog/` 的模型里，修改模型后重新运行上面的命令。",
        "",
        "“填写”一列中，**必填** 的字段不写时 `python build.py check` 会报错；**选填** 的字段可以不写，不写时按默认值处理。"
        "字段名一律用英文（冒号前面的部分），取值按“取值”一列填写。",
        "",
    ]
    for kind, models in models_in_order():
        lines += [f"## {kind.title}：{kind.files}", ""]
        for model in models:
            lines += [
                f'<a id="{anchor(model)}"></a>',
                "",
                f"### {MODEL_NAMES[model]}",
                "",
            ]
            lines += model_table(model)
            lines.append("")
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def run_fieldref(
    output: Path | None = None, *, check: bool = False, out: TextIO | None = None
) -> int:
    """Write the page (or with ``check``, only compare it). 0 when up to date or written, 1 when stale."""
    out = out or sys.stdout
    output = output or DEFAULT_OUTPUT
    try:
        text = render()
    except UndocumentedField as exc:
        print(f"{exc}。请在模型的 Field(...) 中补上 title 和 description。", file=out)
        return 1
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if check:
        if current == text:
            print(f"字段参考 {output} 是最新的。", file=out)
            return 0
        print(
            f"字段参考 {output} 已过期。请运行 python build.py fieldref 重新生成，并提交生成的文件。",
            file=out,
        )
        return 1
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    print(f"已生成 {output}", file=out)
    return 0
