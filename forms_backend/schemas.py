"""Request and response models: one pydantic model per endpoint, for the JSON API and the HTML
forms alike, and the one place that turns pydantic's errors into Chinese sentences.

A request model lists every field with its Chinese ``title``; the shape rules (type, length,
pattern, choices) are declared on the field so that the generated OpenAPI schema carries them,
and rules that need the catalog or the clock are field validators (their schema ``description``
says so). Messages a field wants instead of the generic ones are given with ``Say(...)``.

    class LookupRequest(RequestModel):
        phone_last4: Annotated[Text, Field(title="手机号后 4 位", pattern=r"^\\d{4}$"),
                               Say(missing="请填写手机号后 4 位。")]

    found = parse(LookupRequest, json_body())          # the API: 422 ActionError on errors
    found = validate_form(form, LookupRequest)         # a page: errors put on the WTForms fields
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from flask import request
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from catalog.problems import _model_in, _shown

from .errors import ActionError
from .extensions import the_request
from .references import ALPHABET, LENGTH, normalise_reference

INVALID = "提交的内容有误，请按提示修改。"
"""The ``message`` of a 422 answer; ``errors`` names each field."""

# --- text fields -------------------------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROLS_MULTILINE = re.compile(
    r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _control_problem(value: str, pattern: re.Pattern[str]) -> PydanticCustomError | None:
    found = pattern.search(value)
    if not found:
        return None
    return PydanticCustomError(
        "control_character",
        "含有不允许的控制字符（第 {position} 个字符，U+{code}），"
        "可能是从别处复制时带进来的。请删除这个字符后重新填写。",
        {"position": found.start() + 1, "code": f"{ord(found.group()):04X}"},
    )


def _reject_controls(pattern: re.Pattern[str]):
    """An after-validator refusing the characters of ``pattern`` (for values inside objects)."""

    def check(value: str) -> str:
        problem = _control_problem(value, pattern)
        if problem is not None:
            raise problem
        return value

    return check


class _Characters:
    """Marks a text field: which characters ``RequestModel`` refuses in it, and the same rule
    in its JSON Schema (``not``/``pattern``). It carries no validator of its own, so the
    field's ``pattern`` and length constraints stay in the schema and are enforced."""

    def __init__(self, refused: re.Pattern[str], schema_pattern: str, multiline: bool) -> None:
        self.refused = refused
        self.schema_pattern = schema_pattern
        self.multiline = multiline

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["not"] = {"pattern": self.schema_pattern}
        return schema


_ONE_LINE = _Characters(_CONTROLS, "[\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]", False)
_LINES = _Characters(
    _CONTROLS_MULTILINE,
    "[\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]",
    True,
)

Text = Annotated[StrictStr, _ONE_LINE]
"""One line of text: surrounding spaces stripped (``RequestModel`` strips every string); C0
control characters, DEL, lone surrogates and the bidirectional overrides U+202A–202E,
U+2066–2069 are refused (by ``RequestModel``, naming the field and the position)."""

LongText = Annotated[StrictStr, _LINES]
"""Several lines (notes, reasons, feedback): like ``Text`` but line breaks are kept (CR LF and
CR become LF)."""

Flag = StrictBool
"""true or false (JSON booleans only; an HTML checkbox is true when sent)."""


def whole_number(value: Any) -> Any:
    """2.0 is the integer 2 to JSON Schema, so it is to the server; "2" and true stay errors."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _reference(value: str) -> str:
    value = normalise_reference(value)
    if not re.fullmatch(rf"[{ALPHABET}]{{{LENGTH}}}", value):
        raise PydanticCustomError("reference", REFERENCE_SHAPE)
    return value


REFERENCE_SHAPE = "编号是 8 位字母和数字（不含 0、1、I、L、O），例如 7KQ2M9XA。请对照办理成功的页面或短信重新填写。"
Reference = Annotated[
    StrictStr,
    AfterValidator(_reference),
    Field(
        json_schema_extra={"pattern": f"^[{ALPHABET}]{{{LENGTH}}}$"},
        description="8 位编号，不含 0、1、I、L、O（小写、空格和连字符会被规范化）",
    ),
]
"""A reference code (bookings, submissions, evaluations, feedback): normalised, then checked."""

PhoneLast4 = Annotated[Text, Field(title="手机号后 4 位", pattern=r"^\d{4}$")]


@dataclass(frozen=True)
class Say:
    """A field's own messages, used instead of the generic ones.

    ``missing`` covers an absent or empty value, ``invalid`` any shape error (type, pattern,
    length, choice) unless ``too_long`` is given for length.
    """

    missing: str | None = None
    invalid: str | None = None
    too_long: str | None = None
    types: bool = False
    """``invalid`` also for a value of the wrong type (a number field given text)."""


# --- models ------------------------------------------------------------------------------------


_MARKS: dict[type, dict[str, Any]] = {}
"""Per request model: field name → its ``_Characters`` mark (None for other fields)."""


class RequestModel(BaseModel):
    """Base of every request body and query: unknown fields refused, strings stripped."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, validate_default=True
    )

    @field_validator("*")
    @classmethod
    def _characters(cls, value: Any, info: ValidationInfo) -> Any:
        """The one place text fields are checked for control and direction characters."""
        if not isinstance(value, str):
            return value
        marks = _MARKS.get(cls)
        if marks is None:
            marks = _MARKS[cls] = {
                name: next((m for m in field.metadata if isinstance(m, _Characters)), None)
                for name, field in cls.model_fields.items()
            }
        mark = marks.get(info.field_name)
        if mark is None:
            return value
        if mark.refused.search(value):
            raise _control_problem(value, mark.refused)
        if mark.multiline and "\r" in value:
            return value.replace("\r\n", "\n").replace("\r", "\n")
        return value

    @classmethod
    def unknown_field(cls, key: str) -> str:
        """The message for a field this model does not have (override for nested objects)."""
        return f"不认识的字段“{key}”。可用的字段有：{'、'.join(cls.model_fields)}。"


class ResponseModel(BaseModel):
    """Base of every response body (documented in OpenAPI; the tests check each answer)."""

    model_config = ConfigDict(extra="forbid")


class Problem(ResponseModel):
    """Every 4xx/5xx JSON answer."""

    message: str = Field(title="说明", description="中文说明：哪里错了、应当怎样改")
    errors: dict[str, str] | None = Field(
        None, title="逐项说明", description="出错的字段 → 该字段的中文说明"
    )


M = TypeVar("M", bound=BaseModel)


def check(
    model: type[M], data: Mapping[str, Any], context: dict | None = None
) -> tuple[M | None, dict[str, str]]:
    """Validate ``data``: the model, or None and the first Chinese message of each field."""
    try:
        return model.model_validate(data, context={} if context is None else context), {}
    except PydanticValidationError as error:
        return None, messages(error, model)


def parse(
    model: type[M], data: Mapping[str, Any], context: dict | None = None, message: str = INVALID
) -> M:
    """Validate ``data`` or raise a 422 ``ActionError`` (``message``) naming every invalid field."""
    result, errors = check(model, data, context)
    if result is None:
        raise ActionError(422, message, errors=errors)
    return result


def json_body() -> dict[str, Any]:
    """The request's JSON object (415 when not JSON, 400 when not an object); ``null`` values
    count as absent."""
    asked = the_request()
    if asked.mimetype != "application/json":
        raise ActionError(415, "请求正文应为 JSON，并带有请求头 Content-Type: application/json。")
    try:
        data = asked.get_json(silent=True)
    except RecursionError:
        data = None
    if data is None:
        raise ActionError(400, "请求正文不是有效的 JSON。请检查引号、逗号和括号是否成对。")
    if not isinstance(data, dict):
        raise ActionError(
            400, f"请求正文应为 JSON 对象（以 {{ 开头），收到的是 {type(data).__name__}。"
        )
    return {key: value for key, value in data.items() if value is not None}


def form_input(model: type[BaseModel], formdata: Mapping) -> dict[str, Any]:
    """An HTML form's strings as the model's input: a checkbox is true when sent (and not
    "false"), an integer field's digits become a number, a list field takes every value."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kind = _base_type(info.annotation)
        if kind is bool:
            data[name] = formdata.get(name) not in (None, "", "false")
            continue
        if kind is list:
            values = formdata.getlist(name) if hasattr(formdata, "getlist") else []
            if values:
                data[name] = [value for value in values if value]
            continue
        value = formdata.get(name)
        if value is None:
            continue
        if kind is int and value.strip().lstrip("-").isdigit():
            data[name] = int(value)
        else:
            data[name] = value
    return data


def validate_form(
    form,
    model: type[M],
    context: dict | None = None,
    data: dict[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> M | None:
    """Check a submitted WTForms ``form`` (which only renders and carries CSRF) with ``model``.

    The typed values stay in the form; each invalid field gets its Chinese message. Returns
    the validated model, or None when the form was not submitted, the CSRF token is wrong or a
    field is invalid. ``data`` replaces the input read from the form; ``names`` maps an error's
    field (``dimensions.process``) to the form field that shows it (``dim_process``).
    """
    if not form.is_submitted():
        return None
    csrf_ok = form.validate()  # the fields carry no validators: this checks the CSRF token
    given = form_input(model, request.form) if data is None else data
    result, errors = check(model, given, context)
    for name, message in errors.items():
        field = form._fields.get((names or {}).get(name, name))
        if field is not None:
            field.errors = [message]
        else:
            form.form_errors.append(message)
    return result if csrf_ok and result is not None else None


def _base_type(annotation: Any) -> Any:
    """``bool``, ``int``, ``list`` or ``str`` for a field's annotation (through Optional and
    Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(args[0]) if args else str
    if origin is list:
        return list
    if origin is typing.Literal:
        return type(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, bool):
        return bool
    if isinstance(annotation, type) and issubclass(annotation, int):
        return int
    return str


# --- messages ----------------------------------------------------------------------------------

_SHAPE_ERRORS = {
    "string_pattern_mismatch",
    "string_too_short",
    "string_too_long",
    "literal_error",
    "enum",
    "greater_than_equal",
    "less_than_equal",
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "reference",
    "too_short",
    "too_long",
}


def messages(error: PydanticValidationError, model: type[BaseModel]) -> dict[str, str]:
    """The first Chinese message of each invalid field: ``name`` (``parent.name`` inside an
    object; list positions left out) → message."""
    result: dict[str, str] = {}
    for detail in error.errors(include_url=False):
        key = _key(tuple(detail["loc"]))
        if key not in result:
            result[key] = message(detail, model)
    return result


def _key(loc: tuple) -> str:
    parts = [_printable(str(part))[:50] for part in loc if not isinstance(part, int)]
    return ".".join(parts) or "_"


def _field(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel], Any]:
    """The model that holds the field ``loc`` points at, and that field's info (or None)."""
    holder: type[BaseModel] = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        target = _model_in(info.annotation) if info is not None else holder
        found = None
        if target is not None:
            found = target.model_fields.get(part) or next(
                (f for f in target.model_fields.values() if f.alias == part), None
            )
        if found is None:
            return (target or holder), None
        holder, info = target, found
    return holder, info


_TYPE_ERRORS = ("int_type", "int_parsing", "int_from_float", "string_type", "bool_type")


def message(detail: ErrorDetails, model: type[BaseModel]) -> str:
    """One pydantic error as a full Chinese sentence naming the field and the fix."""
    kind = detail["type"]
    loc = tuple(detail["loc"])
    ctx = detail.get("ctx") or {}
    value = _printable(detail.get("input"))
    name = _printable(str(loc[-1])[:50]) if loc else ""
    if kind == "extra_forbidden":
        holder, parent = _field(model, loc[:-1])
        target = _model_in(parent.annotation) if parent is not None else holder
        unknown = getattr(target, "unknown_field", None)
        if unknown is None:
            return f"不认识的字段“{name}”。请删除它。"
        return unknown(name)
    _holder, info = _field(model, loc)
    say = next((m for m in info.metadata if isinstance(m, Say)), None) if info else None
    where = f"“{info.title}”" if info is not None and info.title else f"字段“{_key(loc)}”"
    empty = kind == "missing" or (
        kind in (*_SHAPE_ERRORS, "int_type", "int_parsing")
        and isinstance(value, str)
        and value.strip() == ""
    )
    if isinstance(value, str) and kind in ("too_short", "too_long"):
        kind = f"string_{kind}"  # a text's length checked after its own validators
    if say is not None:
        if empty and say.missing:
            return say.missing
        if kind == "string_too_long" and say.too_long:
            return say.too_long
        shape = kind in _SHAPE_ERRORS or (say.types and kind in _TYPE_ERRORS)
        if shape and say.invalid and not empty:
            return say.invalid
    if kind == "scalar_type":
        return f"“{_key(loc)}”应为文字或数字。"
    if kind == "string_unicode":
        return f"{where}含有无法识别的字符（可能是复制时损坏的表情或生僻字）。请删除这个字符后重新填写。"
    if kind == "control_character":
        return where + detail["msg"]
    if kind.startswith("value_error") or kind in ("reference", "rule"):
        return detail["msg"].removeprefix("Value error, ")
    if empty:
        return f"请填写{where}。"
    if kind == "string_type":
        return f"{where}应为文字（带引号的字符串）。"
    if kind in ("bool_type", "bool_parsing"):
        return f"{where}应为 true 或 false。"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{where}应为整数，例如 5，收到的是{_shown(value)}。"
    if kind == "string_too_long":
        return f"{where}最多 {ctx.get('max_length')} 个字。请精简后重新填写。"
    if kind == "string_too_short":
        return f"{where}至少要 {ctx.get('min_length')} 个字。请补充后重新填写。"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("' or '", "、").replace("', '", "、")
        return f"{where}只能是以下之一：{expected.replace(chr(39), '')}，收到的是{_shown(value)}。"
    if kind == "string_pattern_mismatch":
        hint = info.description if info is not None and info.description else "请检查后重新填写。"
        return f"{where}的格式不对：{hint}"
    if kind == "greater_than_equal":
        return f"{where}不能小于 {ctx.get('ge')}，收到的是{_shown(value)}。"
    if kind == "less_than_equal":
        return f"{where}不能大于 {ctx.get('le')}，收到的是{_shown(value)}。"
    if kind == "too_long":
        return f"{where}最多 {ctx.get('max_length')} 项。请删减。"
    if kind in ("list_type", "too_short", "set_type"):
        return f"{where}应为列表（JSON 数组），收到的是{_shown(value)}。"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{where}应为 JSON 对象（一组“键: 值”），收到的是{_shown(value)}。"
    return f"{where}的值{_shown(value)}无效。请检查后重新填写。"


def _printable(value: Any) -> Any:
    """``value`` with lone surrogates (invalid in UTF-8) shown as ``\\udXXX`` escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def rule(text: str) -> PydanticCustomError:
    """A validator's refusal whose message is already a full sentence (used as is)."""
    return PydanticCustomError("rule", text)
