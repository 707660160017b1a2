"""Problems found in a catalog, and their translation into editor-facing Chinese messages.

The loader collects every problem with the file and the key path where it sits; line and column
are looked up only when a problem is reported, so a valid catalog never pays for them.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in one catalog file."""

    path: Path
    loc: Loc
    message: str
    warning: bool = False
    line: int | None = field(default=None, compare=False)
    column: int | None = field(default=None, compare=False)

    def format(self) -> str:
        """``path:line:col: message`` as editors and their tools expect it."""
        prefix = "警告：" if self.warning else ""
        return f"{self.path}:{self.line or 1}:{self.column or 1}: {prefix}{self.message}"


class CatalogError(Exception):
    """Raised when a catalog has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        super().__init__(f"目录中有 {len(errors)} 处错误。")


def format_loc(loc: Loc) -> str:
    """``('materials', 2, 'copies')`` → ``materials[2].copies``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def describe(model: type[BaseModel], loc: Loc) -> str:
    """The key path with the field's Chinese title, e.g. ``materials[2].copies（份数）``."""
    if not loc:
        return "文件顶层"
    title = field_title(model, loc)
    path = format_loc(loc)
    return f"{path}（{title}）" if title else path


def field_title(model: type[BaseModel], loc: Loc) -> str | None:
    """The ``title`` of the field that ``loc`` points at, or ``None`` when it is not a field."""
    current: Any = model
    title = None
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            return title if isinstance(part, int) else None
        info = target.model_fields[part]
        title = info.title
        current = info.annotation
    return title


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (``list[M]``, ``M | None`` …), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            return []
        current = target.model_fields[part].annotation
    target = _model_in(current)
    return list(target.model_fields) if target else []


def _title_to_key(model: type[BaseModel], loc: Loc, wrong: str) -> str | None:
    """When an editor typed a field's Chinese title as the key, the key they meant."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            return None
        current = target.model_fields[part].annotation
    target = _model_in(current)
    if target is None:
        return None
    for name, info in target.model_fields.items():
        if info.title == wrong:
            return name
    return None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "一组键值"
    if isinstance(value, list):
        return "一个列表"
    return f"“{value}”"


QUOTE_HINT = "提示：在 YAML 中，数字和 true/false 不要加引号。"


def translate(error: ErrorDetails, model: type[BaseModel]) -> tuple[Loc, str]:
    """Turn one pydantic error into (key path, full-sentence Chinese message with a fix)."""
    kind = error["type"]
    loc: Loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    value = error.get("input")

    if kind == "extra_forbidden":
        parent, key = loc[:-1], str(loc[-1])
        allowed = _allowed_keys(model, parent)
        where = f"在 {format_loc(parent)} 中" if parent else "在文件顶层"
        meant = _title_to_key(model, parent, key)
        if meant:
            return loc, f"{where}出现了未知字段“{key}”。字段名要用英文，“{key}”应写作 {meant}。"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"你是不是想写 {close[0]}？" if close else f"允许的字段有：{'、'.join(allowed)}。"
        return loc, f"{where}出现了未知字段“{key}”。{hint}请改正或删除这个字段。"

    where = describe(model, loc)
    if kind == "missing":
        return loc, f"缺少必填字段 {where}。请补上这个字段。"
    if kind == "enum":
        return loc, f"{where}的值{_shown(value)}不是允许的取值。应为以下之一：{_choices(ctx)}。"
    if kind == "literal_error":
        return loc, f"{where}的值{_shown(value)}不是允许的取值。应为以下之一：{_choices(ctx)}。"
    if kind == "string_type":
        if isinstance(value, bool):
            return (
                loc,
                f'{where}应为一段文字，但 YAML 把它读成了 {_shown(value)}（yes、no、on、off、true、false 都会被当成真假值）。请给这个值加上引号，例如 "no"。',
            )
        if isinstance(value, int | float):
            last = str(loc[-1]) if loc else ""
            if "phone" in last:  # a hotline or mobile number: its digits survived, quote them
                return (
                    loc,
                    f'{where}应为一段文字，但 YAML 把它读成了数字 {value}。电话号码要加英文引号，请写作 "{value}"。',
                )
            return (
                loc,
                f'{where}应为一段文字，但 YAML 把它读成了数字 {value}（以 0 开头的数字还会被改写）。请给这个值加上引号，例如 "000201001000"。',
            )
        return loc, f"{where}应为一段文字，实际是{_shown(value)}。请按字段说明写成文字。"
    if kind == "string_too_short":
        return loc, f"{where}不能为空。请填写内容，或删除这个字段。"
    if kind == "string_too_long":
        return loc, f"{where}太长了，最多 {ctx.get('max_length')} 个字。请精简文字。"
    if kind == "string_pattern_mismatch":
        return loc, f"{where}的值{_shown(value)}格式不对。{_pattern_hint(model, loc)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            loc,
            f"{where}应为整数，实际是{_shown(value)}。请填写阿拉伯数字，例如 2。{QUOTE_HINT}",
        )
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing"):
        return (
            loc,
            f"{where}应为数字，实际是{_shown(value)}。请填写阿拉伯数字，例如 10.5。{QUOTE_HINT}",
        )
    if kind == "decimal_max_places":
        return loc, f"{where}最多保留两位小数，实际是{_shown(value)}。请改为例如 12.50。"
    if kind in ("bool_type", "bool_parsing"):
        return loc, f"{where}应为 true 或 false，实际是{_shown(value)}。请写 true 或 false。"
    if kind == "greater_than_equal":
        return (
            loc,
            f"{where}不能小于 {ctx.get('ge')}，实际是{_shown(value)}。请改为不小于 {ctx.get('ge')} 的数。",
        )
    if kind == "less_than_equal":
        return (
            loc,
            f"{where}不能大于 {ctx.get('le')}，实际是{_shown(value)}。请改为不大于 {ctx.get('le')} 的数。",
        )
    if kind == "too_short":
        return (
            loc,
            f"{where}至少要有 {ctx.get('min_length')} 项，实际只有 {ctx.get('actual_length')} 项。请补充。",
        )
    if kind == "too_long":
        return loc, f"{where}最多只能有 {ctx.get('max_length')} 项。请删减。"
    if kind in (
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    ):
        return loc, f"{where}应为日期，写作 2026-01-31，实际是{_shown(value)}。"
    if kind == "list_type":
        return loc, f"{where}应为列表（每项以“- ”开头），实际是{_shown(value)}。请改为列表。"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{where}应为一组“字段: 值”，实际是{_shown(value)}。请按字段说明填写。"
    if kind in ("url_type", "url_parsing", "url_scheme"):
        return loc, f"{where}应为以 http:// 或 https:// 开头的网址，实际是{_shown(value)}。"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", error["msg"]))
        return loc, f"{where}：{message}" if loc else message
    return loc, f"{where}的值{_shown(value)}无效。请对照编辑指南中该字段的说明修改。"


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return expected.replace("' or '", "、").replace("', '", "、").replace("'", "")


_PATTERN_HINTS = {
    "basic_code": "基本编码应为 12 位数字，例如 000201001000。",
    "implementation_code": "实施编码应为 20 到 40 位数字或大写字母，例如 11150204MB1234567X000201001000。",
    "start": "时间写作 24 小时制的 时:分，例如 09:00。",
    "end": "时间写作 24 小时制的 时:分，例如 17:30。",
}


def _pattern_hint(model: type[BaseModel], loc: Loc) -> str:
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if last in _PATTERN_HINTS:
        return _PATTERN_HINTS[last]
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            break
        info = target.model_fields[part]
        current = info.annotation
    description = info.description if info is not None else None
    if description and ("标识" in (info.title or "") or last in ("id", "key")):
        return (
            "标识只能由小写英文字母、数字和连字符组成，以字母或数字开头，例如 birth-certificate。"
        )
    if description and "标识" in description:
        return f"这里要写标识，不是中文名称：标识只能由小写英文字母、数字和连字符组成。要求：{description}"
    if description:
        return f"要求：{description}"
    return "请对照编辑指南中该字段的说明修改。"


def problems_from(error: ValidationError, path: Path, model: type[BaseModel]) -> list[Problem]:
    """Every error pydantic found in one file, as problems."""
    problems = []
    for detail in error.errors(include_url=False):
        loc, message = translate(detail, model)
        problems.append(Problem(path, loc, message))
    return problems
