"""悉心听 requests and answers: one model each, for the pages and the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from ..bookings.schemas import NAME_PATTERN
from ..catalog_access import catalog
from ..privacy import normalise_phone, phone_problem
from ..schemas import LongText, Reference, RequestModel, ResponseModel, Say, Text, rule

KINDS = (
    "类别只能是 praise（表扬）、complaint（投诉）、suggestion（咨询建议）或 butler（管家服务）。"
)
CONTENT_LENGTH = "内容应为 5 到 1000 个字。请补充或精简后重新提交。"
BUTLER_PHONE = "管家服务需要联系您，请留下手机号。"
FiveToThousand = r"^\s*\S[\s\S]{3,}\S\s*$"  # 5 or more characters once spaces are stripped
PHONE = r"^\s*(\+86)?[\s-]*1[\s-]*[3-9]([\s-]*\d){9}[\s-]*$"


class FeedbackRequest(RequestModel):
    """A 悉心听 message: ``POST /api/feedback`` and the form of ``/feedback/``."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"const": "butler"}}, "required": ["kind"]},
            "then": {"required": ["contact_phone"]},
            "description": "管家服务（butler）必须留下 contact_phone。",
        }
    )

    kind: Annotated[
        Literal["praise", "complaint", "suggestion", "butler"],
        Field(title="类别"),
        Say(missing="请选择类别：表扬、投诉、咨询建议或管家服务。", invalid=KINDS),
    ]
    content: Annotated[
        LongText,
        Field(title="内容", min_length=5, max_length=1000, pattern=FiveToThousand),
        Say(missing="请写下您想说的话。", invalid=CONTENT_LENGTH),
    ]
    window: Annotated[
        Text, Field(title="涉及的窗口", description="窗口标识（选填）；须是目录中的窗口。")
    ] = ""
    item: Annotated[
        Text,
        Field(
            title="涉及的事项",
            description="事项标识（选填）：留言转给该事项的部门；须是已发布的事项。",
        ),
    ] = ""
    name: Annotated[
        Text,
        Field(title="称呼", pattern=f"^$|{NAME_PATTERN}"),
        Say(invalid="称呼应为 2 到 30 个汉字或字母。也可以不填。"),
    ] = ""
    contact_phone: Annotated[
        Text,
        Field(
            title="联系电话",
            description="手机号（选填；管家服务必填）。",
            json_schema_extra={"pattern": PHONE},
        ),
    ] = ""

    @field_validator("window")
    @classmethod
    def _known_window(cls, value: str) -> str:
        if value and value not in catalog().windows:
            raise rule(f"没有窗口“{value[:80]}”。请从列表中选择，或不选。")
        return value

    @field_validator("item")
    @classmethod
    def _published_item(cls, value: str) -> str:
        if value:
            item = catalog().items.get(value)
            if item is None or not item.published:
                raise rule(f"没有找到事项“{value[:80]}”。请从列表中选择，或不选。")
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            if info.data.get("kind") == "butler":
                raise rule(BUTLER_PHONE)
            return value
        problem = phone_problem(value)
        if problem:
            raise rule(problem + "也可以不填。")
        return normalise_phone(value)


class ReplyRequest(RequestModel):
    """The staff reply form."""

    reply: Annotated[
        LongText,
        Field(title="答复", min_length=1, max_length=1000),
        Say(missing="请填写答复内容。", too_long="答复最多 1000 个字。请精简后重新填写。"),
    ]


class FeedbackLookup(RequestModel):
    """The lookup form of ``/feedback/lookup``."""

    reference: Annotated[
        Reference,
        Field(title="留言编号"),
        Say(
            missing="请填写留言编号。",
            invalid="留言编号是 8 位字母和数字（不含 0、1、I、L、O）。请对照提交成功页面重新填写。",
        ),
    ]


class FeedbackLinks(ResponseModel):
    self: str


class FeedbackOut(ResponseModel):
    """留言和答复"""

    reference: str = Field(title="留言编号")
    kind: Literal["praise", "complaint", "suggestion", "butler"]
    kind_label: str
    content: str
    status: Literal["new", "replied"]
    status_label: str
    reply: str | None
    replied_at: dt.datetime | None
    created_at: dt.datetime
    links: FeedbackLinks
