"""好差评 requests and answers: one model each, for the pages and the JSON API.

Which fields an evaluation needs depends on its channel (booking: reference and phone digits;
case: also the item; onsite: window and ticket) and on its level (a 差评 needs a label or a
reason); the JSON Schema states both with ``if``/``then``. Whether the booking is served, the
case concluded or the ticket still unused depends on stored state: the server answers 404/409.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, StrictInt, ValidationInfo, field_validator

from ..privacy import normalise_phone, phone_problem
from ..references import normalise_reference
from ..schemas import (
    LongText,
    Reference,
    RequestModel,
    ResponseModel,
    Say,
    Text,
    rule,
    whole_number,
)
from .rules import DIMENSIONS, LEVELS, NEGATIVE_LABELS, Channel

ChannelName = Literal["booking", "case", "onsite"]
TICKET = r"^[A-Za-z]?\d{1,4}$"
NEGATIVE_NEEDS = (
    "选择“不满意”或“非常不满意”时，请勾选不满意的方面，或在“具体意见”里写明原因，以便我们整改。"
)
PHONE = r"^\s*(\+86)?[\s-]*1[\s-]*[3-9]([\s-]*\d){9}[\s-]*$"


def _score(title: str):
    return Annotated[
        StrictInt | None,
        Field(title=title, ge=1, le=5),
        Say(invalid=f"“{title}”应为 1 到 5 的整数。请重新选择。", types=True),
    ]


_Experience = _score(DIMENSIONS["experience"])
_WindowService = _score(DIMENSIONS["window_service"])
_Process = _score(DIMENSIONS["process"])
_Quality = _score(DIMENSIONS["quality"])
_Service = _score(DIMENSIONS["service"])


class Dimensions(RequestModel):
    """Optional 1–5 scores of the five window star dimensions."""

    experience: _Experience = None
    window_service: _WindowService = None
    process: _Process = None
    quality: _Quality = None
    service: _Service = None

    _whole = field_validator("*", mode="before")(classmethod(lambda cls, v: whole_number(v)))

    @classmethod
    def unknown_field(cls, key: str) -> str:
        named = "、".join(f"{k}（{v}）" for k, v in DIMENSIONS.items())
        return f"没有维度“{key}”。可用的维度有：{named}。"


def _needs(channel: str, *fields: str) -> dict:
    return {
        "if": {"properties": {"channel": {"const": channel}}, "required": ["channel"]},
        "then": {
            "required": list(fields),
            "properties": {name: {"minLength": 1, "pattern": r"\S"} for name in fields},
        },
    }


class EvaluationRequest(RequestModel):
    """An evaluation: ``POST /api/evaluations`` and the form of ``/evaluations/new``."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                _needs("booking", "reference", "phone_last4"),
                _needs("case", "reference", "phone_last4", "item"),
                _needs("onsite", "window", "ticket"),
                {
                    "if": {"properties": {"level": {"maximum": 2}}, "required": ["level"]},
                    "then": {
                        "anyOf": [
                            {"required": ["labels"], "properties": {"labels": {"minItems": 1}}},
                            {"required": ["reason"], "properties": {"reason": {"pattern": r"\S"}}},
                        ]
                    },
                },
            ]
        }
    )

    channel: Annotated[
        ChannelName,
        Field(title="评价渠道"),
        Say(
            missing="请说明评价渠道：booking（预约）、case（网上申报）或 onsite（现场）。",
            invalid="评价渠道只能是 booking（预约）、case（网上申报）或 onsite（现场）。",
        ),
    ]
    reference: Annotated[
        Text,
        Field(
            title="预约号或申报编号",
            description="booking、case 必填；须是已办理完成的预约或已办结的申报。",
        ),
    ] = ""
    phone_last4: Annotated[
        Text,
        Field(
            title="手机号后 4 位",
            description="booking、case 必填：办理时所留手机号的最后 4 位。",
            json_schema_extra={"pattern": r"^\s*\d{4}\s*$"},
        ),
    ] = ""
    item: Annotated[
        Text, Field(title="办理事项", description="case 必填（申报中的事项）；onsite 选填。")
    ] = ""
    window: Annotated[
        Text, Field(title="评价窗口", description="onsite 必填：目录中的窗口标识。")
    ] = ""
    ticket: Annotated[
        Text,
        Field(
            title="排队号",
            description="onsite 必填：取号单上的号码，例如 A012；每个号当天在每个窗口只能评价一次。",
            json_schema_extra={"pattern": r"^\s*[A-Za-z]?\d{1,4}\s*$"},
        ),
    ] = ""
    contact_phone: Annotated[
        Text,
        Field(
            title="联系电话",
            description="选填（匿名评价可不填）。",
            json_schema_extra={"pattern": f"^$|{PHONE}"},
        ),
    ] = ""
    level: Annotated[
        StrictInt,
        Field(title="总体评价", ge=1, le=5, description="5 非常满意 … 1 非常不满意；1–2 为差评。"),
        Say(
            missing="请选择总体评价：从“非常满意”到“非常不满意”选一项。",
            invalid="“总体评价”应为 1 到 5 的整数。请重新选择。",
            types=True,
        ),
    ]
    reason: Annotated[
        LongText,
        Field(title="具体意见", max_length=500),
        Say(too_long="具体意见最多 500 个字。请精简后重新填写。"),
    ] = ""
    labels: Annotated[
        list[Literal[NEGATIVE_LABELS]],  # type: ignore[valid-type]
        Field(title="不满意的方面", description="差评时至少选一项，或写明具体意见。"),
    ] = []
    dimensions: Annotated[Dimensions | None, Field(title="分项评分")] = None

    _whole = field_validator("level", mode="before")(classmethod(lambda cls, v: whole_number(v)))

    @field_validator("labels", mode="wrap")
    @classmethod
    def _labels(cls, value, handler, info: ValidationInfo):
        try:
            labels = handler(value)
        except ValueError:
            if isinstance(value, list) and all(isinstance(x, str) for x in value):
                unknown = next(x for x in value if x not in NEGATIVE_LABELS)
                raise rule(
                    f"没有“{unknown[:20]}”这个选项。可选：{'、'.join(NEGATIVE_LABELS)}。"
                ) from None
            raise rule('“不满意的方面”应为文字数组，例如 ["办理时间过长"]。') from None
        level = info.data.get("level")
        if level is not None and level < 3 and not labels and not info.data.get("reason"):
            raise rule(NEGATIVE_NEEDS)
        return list(dict.fromkeys(labels))  # each label once

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str, info: ValidationInfo) -> str:
        channel = info.data.get("channel")
        if channel in (Channel.BOOKING, Channel.CASE) and not value:
            what = "预约号" if channel == Channel.BOOKING else "申报编号"
            raise rule(f"请填写{what}（8 位字母和数字）。")
        return normalise_reference(value)

    @field_validator("phone_last4")
    @classmethod
    def _phone_last4(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") in (Channel.BOOKING, Channel.CASE):
            if not re.fullmatch(r"\d{4}", value):
                raise rule("请填写办理时所留手机号的最后 4 位数字。")
        return value

    @field_validator("item")
    @classmethod
    def _item(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") == Channel.CASE and not value:
            raise rule("请选择要评价的办件（事项）。")
        return value

    @field_validator("window")
    @classmethod
    def _window(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") == Channel.ONSITE and not value:
            raise rule("请选择为您办理业务的窗口。")
        return value

    @field_validator("ticket")
    @classmethod
    def _ticket(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") != Channel.ONSITE:
            return value.upper()
        if not value:
            raise rule("请填写排队号（取号单上的号码，例如 A012），每次办理只能评价一次。")
        if not re.fullmatch(TICKET, value):
            raise rule("排队号应为 1 到 4 位数字，前面可带一个字母，例如 A012。请对照取号单填写。")
        return value.upper()

    @field_validator("contact_phone")
    @classmethod
    def _contact(cls, value: str) -> str:
        if not value:
            return value
        problem = phone_problem(value)
        if problem:
            raise rule(problem + "也可以不填，匿名评价。")
        return normalise_phone(value)

    def score(self, key: str) -> int | None:
        """The dimension score ``key`` (None when not scored)."""
        return getattr(self.dimensions, key) if self.dimensions is not None else None


class RatingRequest(RequestModel):
    """The evaluator's rating of the rectification (``POST /api/evaluations/{reference}/rating``)."""

    rating: Annotated[
        StrictInt,
        Field(
            title="您对整改结果的评价", ge=1, le=5, description="1–5；只能在收到答复后评价一次。"
        ),
        Say(
            missing="请选择您对整改结果的评价。",
            invalid="“整改结果的评价”应为 1 到 5 的整数。请重新选择。",
            types=True,
        ),
    ]
    comment: Annotated[
        LongText,
        Field(title="补充意见", max_length=500),
        Say(too_long="补充意见最多 500 个字。请精简后重新填写。"),
    ] = ""

    _whole = field_validator("rating", mode="before")(classmethod(lambda cls, v: whole_number(v)))


class FollowUpStep(RequestModel):
    """A staff step of a 差评 follow-up (回访核实, 整改, 答复)."""

    text: Annotated[
        LongText,
        Field(title="内容", min_length=1, max_length=1000),
        Say(missing="请填写内容后再提交。", too_long="最多 1000 个字。请精简后重新填写。"),
    ]


class EvaluationLookup(RequestModel):
    """The lookup form of ``/evaluations/lookup``."""

    reference: Annotated[
        Reference,
        Field(title="评价编号"),
        Say(
            missing="请填写评价编号。",
            invalid="评价编号是 8 位字母和数字（不含 0、1、I、L、O）。请对照评价成功页面重新填写。",
        ),
    ]


Month = Annotated[
    Text,
    Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
]


class StatsQuery(RequestModel):
    """``GET /api/stats/evaluations``: an optional month range."""

    model_config = ConfigDict(populate_by_name=True)

    month_from: Annotated[
        Month | None,
        Field(alias="from", title="起始月份"),
        Say(invalid="“from”应写作 年-月，例如 2026-11。"),
    ] = None
    month_to: Annotated[
        Month | None,
        Field(alias="to", title="截止月份"),
        Say(invalid="“to”应写作 年-月，例如 2026-11。"),
    ] = None


# --- answers -----------------------------------------------------------------------------------

Level = Annotated[int, Field(ge=1, le=5)]


class FollowUpOut(ResponseModel):
    status: Literal["open", "called_back", "rectified", "replied", "closed"]
    status_label: str
    due: dt.date
    reply: str | None
    rectification: str | None
    rating: Level | None


class DimensionScores(ResponseModel):
    experience: Level | None
    window_service: Level | None
    process: Level | None
    quality: Level | None
    service: Level | None


class EvaluationLinks(ResponseModel):
    self: str


class EvaluationOut(ResponseModel):
    """评价和差评整改的进展"""

    reference: str = Field(title="评价编号")
    channel: ChannelName
    level: Level
    level_label: Literal[tuple(LEVELS.values())]  # type: ignore[valid-type]
    labels: list[str]
    reason: str | None
    dimensions: DimensionScores
    window: str | None
    item: str | None
    created_at: dt.datetime
    follow_up: FollowUpOut | None
    links: EvaluationLinks


class Counts(ResponseModel):
    total: int = Field(ge=0)
    positive: int = Field(ge=0)
    negative: int = Field(ge=0)
    positive_rate: float | None = Field(description="好评率，0–1；没有评价时为 null")


class MonthCounts(Counts):
    month: str


class WindowStats(Counts):
    id: str
    name: str
    dimensions: dict[str, float] = Field(description="各维度均分，键为维度中文名")
    score: float
    stars: int = Field(ge=0, le=5)
    months: list[MonthCounts]


class DepartmentStats(Counts):
    id: str
    name: str


class FollowUpCounts(ResponseModel):
    open: int
    replied: int
    closed: int


class StatsOut(Counts):
    """好差评统计"""

    LEVEL_NAMES: ClassVar[tuple[str, ...]] = tuple(LEVELS.values())

    levels: dict[str, int]
    windows: list[WindowStats]
    departments: list[DepartmentStats]
    months: list[MonthCounts]
    follow_ups: FollowUpCounts
    channels: dict[str, str]
    generated_at: dt.datetime
