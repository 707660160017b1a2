"""一表申报 requests and answers: one model each, for the pages and the JSON API.

The submission document is one model (``SubmissionRequest``); which ``answers`` and ``fields``
it needs depends on the catalog (``GET /api/forms/{target}`` tells), so the fields are checked
by a second model generated per form from the catalog's field types (``fields_model``), the same
for the page and the API.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictStr, create_model
from pydantic_core import PydanticCustomError

from catalog import FieldType, FormField

from .. import clock
from ..privacy import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from ..schemas import (
    _CONTROLS,
    _ONE_LINE,
    LongText,
    PhoneLast4,
    Reference,
    RequestModel,
    ResponseModel,
    Say,
    Text,
    _reject_controls,
    rule,
)
from .formspec import FormSpec

TEXT_MAX = 200
TEXTAREA_MAX = 2000
NUMBER_LIMIT = Decimal("1e12")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
IDEMPOTENCY = r"^[A-Za-z0-9_-]{8,80}$"


def _scalar(value: Any) -> Any:
    """A text or a number (kept as its text); anything else is refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("scalar_type", "应为文字或数字。")
    return value if isinstance(value, str) else str(value)


Scalar = Annotated[
    StrictStr,
    BeforeValidator(_scalar),
    AfterValidator(_reject_controls(_CONTROLS)),
    _ONE_LINE,
]
"""A field value or situation answer in the JSON body: text, or a number written as JSON."""


class SubmissionRequest(RequestModel):
    """The submission document: the JSON body, or the ``payload`` part of a multipart body."""

    target: Annotated[
        Text,
        Field(
            title="申报对象",
            min_length=1,
            description="事项或一件事的标识；须是可以网上申报的（GET /api/forms/{target}）。",
        ),
        Say(
            missing="请用 target 指定要申报的事项或一件事的标识，例如 low-risk-food-business。",
            invalid="请用 target 指定要申报的事项或一件事的标识，例如 low-risk-food-business。",
            types=True,
        ),
    ]
    answers: Annotated[
        dict[str, Scalar],
        Field(
            title="情形回答",
            description="情形标识 → 选项标识；要回答哪些情形取决于目录（GET /api/forms/{target}）。",
        ),
    ] = {}
    fields: Annotated[
        dict[str, Scalar],
        Field(
            title="申报表",
            description="字段键 → 填写的值；有哪些字段、哪些必填、各自的格式取决于目录和情形"
            "（GET /api/forms/{target} 的 form.fields）。",
        ),
    ] = {}
    idempotency_key: Annotated[
        Text,
        Field(
            title="幂等键",
            pattern=f"^$|{IDEMPOTENCY}",
            description="也可用请求头 Idempotency-Key。",
        ),
        Say(
            invalid="幂等键（Idempotency-Key）应为 8 到 80 位字母、数字、下划线或连字符，例如一个 UUID。"
        ),
    ] = ""


class PageKeys(RequestModel):
    """The hidden idempotency key of the application page."""

    model_config = {"extra": "ignore"}

    idempotency_key: Annotated[
        Text,
        Field(title="提交编号", pattern=f"^$|{IDEMPOTENCY}"),
        Say(invalid="提交编号格式不对。请刷新页面后重新提交。"),
    ] = ""


class StatusLookup(RequestModel):
    """A submission by reference and the last 4 phone digits (pages and API)."""

    reference: Annotated[
        Reference,
        Field(title="申报编号"),
        Say(
            missing="请填写申报编号。",
            invalid="申报编号是 8 位字母和数字（不含 0、1、I、L、O），例如 7KQ2M9XA。请对照申报成功页面重新填写。",
        ),
    ]
    phone_last4: Annotated[
        PhoneLast4,
        Say(missing="请填写手机号后 4 位。", invalid="请填写申报时所留手机号的最后 4 位数字。"),
    ]


class PhoneDigits(RequestModel):
    """``?phone_last4=`` of the status lookup."""

    phone_last4: Annotated[
        PhoneLast4,
        Say(missing="请填写手机号后 4 位。", invalid="请填写申报时所留手机号的最后 4 位数字。"),
    ]


NOTE = Annotated[
    LongText,
    Field(title="补正说明", max_length=500),
    Say(too_long="补正说明最多 500 个字。请精简后重新填写。"),
]


class CorrectionNote(RequestModel):
    """The correction form of the status page (the files come as uploads)."""

    note: NOTE = ""


class CorrectionRequest(PhoneDigits):
    """补正 after a return: the JSON body or the multipart ``payload``."""

    note: NOTE = ""


class CaseAction(RequestModel):
    """A staff action on a case: the reason (required for 退回补正, 不予受理 and 不予许可,
    checked by ``change_case``)."""

    reason: Annotated[
        LongText,
        Field(title="原因", max_length=1000),
        Say(too_long="原因最多 1000 个字。请精简后重新填写。"),
    ] = ""


class CaseReroute(CaseAction):
    """改派: the department a case moves to (checked against the catalog by ``reroute_case``)
    and an optional reason."""

    department: Annotated[
        str,
        Field(title="改派到的部门", max_length=80),
        Say(too_long="请从列表中选择要改派到的部门。"),
    ] = ""


# --- the fields of one form, from the catalog --------------------------------------------------


def _id_number(value: str) -> str:
    if not value:
        return value
    problem = id_number_problem(value, clock.today())
    if problem:
        raise rule(problem)
    return normalise_id_number(value)


def _phone(value: str) -> str:
    if not value:
        return value
    problem = phone_problem(value)
    if problem:
        raise rule(problem)
    return normalise_phone(value)


def _date(label: str):
    def check(value: str) -> str:
        if not value:
            return value
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise rule(f"“{label}”应是日期，写作 年-月-日，例如 2026-12-01。请重新填写。") from None
        if not 1900 <= day.year <= 2100:
            raise rule(f"“{label}”的年份不合理。请填写 1900 到 2100 年之间的日期。")
        return day.isoformat()

    return check


def _number(label: str):
    def check(value: str) -> str:
        if not value:
            return value
        text = value.replace(",", "").replace("，", "")
        try:
            number = Decimal(text) if _NUMBER.match(text) else None
        except InvalidOperation:
            number = None
        if number is None:
            raise rule(
                f"“{label}”应填写数字（可带小数点），例如 120 或 35.5。请不要填写单位或汉字。"
            )
        if abs(number) >= NUMBER_LIMIT:
            raise rule(f"“{label}”的数值太大了。请核对后重新填写。")
        return text

    return check


def _choice(label: str, choices: list[str]):
    def check(value: str) -> str:
        if value and value not in choices:
            raise rule(f"“{label}”只能选 {'、'.join(choices)} 中的一项。请重新选择。")
        return value

    return check


Shape = tuple[str, str, str, bool, int | None, tuple[str, ...]]
"""What a catalog field's check depends on: key, label, type, required, max length, choices."""


def _shape(spec: FormField) -> Shape:
    kind = FieldType(spec.type)
    return (
        spec.key,
        spec.label,
        kind.value,
        spec.required,
        spec.max_length,
        tuple(spec.choices or ()),
    )


def _field(shape: Shape):
    key, label, kind, required, max_length, choices = shape
    verb = "选择" if kind == FieldType.CHOICE else "填写"
    base = LongText if kind == FieldType.TEXTAREA else Text
    limit = max_length or (TEXTAREA_MAX if kind == FieldType.TEXTAREA else TEXT_MAX)
    checks = {
        FieldType.ID_NUMBER: _id_number,
        FieldType.PHONE: _phone,
        FieldType.DATE: _date(label),
        FieldType.NUMBER: _number(label),
        FieldType.CHOICE: _choice(label, list(choices)),
    }
    extra = [AfterValidator(checks[kind])] if kind in checks else []
    annotation = Annotated[
        base,
        Field(alias=key, title=label, max_length=limit, min_length=1 if required else 0),
        Say(
            missing=f"请{verb}“{label}”。" if required else None,
            too_long=f"“{label}”最多 {limit} 个字。请精简后重新填写。",
        ),
        *extra,
    ]
    return (annotation, ... if required else "")


def fields_model(spec: FormSpec) -> type[RequestModel]:
    """The model of this form's fields (keys as in the catalog), built once per field set."""
    return _fields_model(tuple(_shape(f) for f in spec.fields))


@lru_cache(maxsize=256)
def _fields_model(shapes: tuple[Shape, ...]) -> type[RequestModel]:
    definitions: dict[str, Any] = {f"f{n}": _field(shape) for n, shape in enumerate(shapes)}
    return create_model("ApplyFields", __base__=RequestModel, **definitions)


def cleaned_values(model: RequestModel) -> dict[str, str]:
    """Field key → cleaned value, for the filled-in fields."""
    return {key: value for key, value in model.model_dump(by_alias=True).items() if value}


# --- answers -----------------------------------------------------------------------------------


class CaseOut(ResponseModel):
    item: str
    item_name: str
    department: str | None
    department_name: str | None
    status: Literal["submitted", "accepted", "returned", "concluded", "not_accepted", "refused"]
    status_label: str
    return_reason: str | None
    refusal_reason: str | None = Field(description="不予受理或不予许可的理由")
    due: dt.date | None


class FileOut(ResponseModel):
    key: str
    label: str
    filename: str
    size: int = Field(ge=0)


class SubmissionOut(ResponseModel):
    """申报和各办件的状态"""

    reference: str = Field(title="申报编号")
    target: str
    status: str
    status_label: str
    created_at: dt.datetime
    concluded_at: dt.datetime | None
    phone: str | None = Field(description="打码的手机号")
    cases: list[CaseOut]
    files: list[FileOut]


class OptionOut(ResponseModel):
    id: str
    label: str


class SituationOut(ResponseModel):
    id: str
    question: str
    options: list[OptionOut]
    answer: str | None


class ItemOut(ResponseModel):
    id: str
    name: str
    department: str | None


class FieldOut(ResponseModel):
    key: str
    label: str
    type: Literal["text", "textarea", "date", "number", "choice", "id_number", "phone", "file"]
    required: bool
    choices: list[str]
    max_length: int | None
    help: str | None


class UploadOut(ResponseModel):
    key: str
    label: str
    required: bool
    hint: str | None
    items: list[str] = Field(description="用到这份材料的事项（标识）")


class PaperOut(ResponseModel):
    """不能网上上传、要带到窗口的纸质材料"""

    name: str
    hint: str
    items: list[str] = Field(description="用到这份材料的事项（标识）")


class ApplyFormOut(ResponseModel):
    target: str
    kind: Literal["item", "bundle"]
    name: str
    answers: dict[str, str]
    items: list[ItemOut]
    fields: list[FieldOut]
    uploads: list[UploadOut]
    paper: list[PaperOut]
    phone_field: str


class FormOut(ResponseModel):
    """要回答的情形；全部回答后给出申报表"""

    target: str
    name: str
    situations: list[SituationOut]
    missing: list[str] = Field(description="还没有回答、但决定申报表内容的情形")
    form: ApplyFormOut | None


MULTIPART = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["payload"],
            "properties": {
                "payload": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "description": "申报文档（JSON，结构同 application/json 的正文）",
                }
            },
            "additionalProperties": {
                "type": "string",
                "format": "binary",
                "description": "以材料键命名的文件部分（PDF、JPG 或 PNG）；其他文字部分会被拒绝",
            },
        }
    }
}
