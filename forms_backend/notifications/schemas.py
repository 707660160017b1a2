"""Request and answer models of 找回 (pages and JSON API share the request models)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from .. import clock
from ..bookings.schemas import NoShows
from ..privacy import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from ..schemas import RequestModel, ResponseModel, Say, Text, rule

CODE_SHAPE = "验证码是短信里的 6 位数字。请对照短信填写。"


class RecoveryRequest(RequestModel):
    """ID number + phone: a code is sent when records exist (the answer never says)."""

    id_number: Annotated[
        Text,
        Field(title="身份证号", min_length=1, description="18 位居民身份证号（空格会被去掉）。"),
        Say(missing="请填写身份证号。"),
    ]
    phone: Annotated[
        Text,
        Field(title="手机号", min_length=1, description="预约或申报时所留的 11 位手机号。"),
        Say(missing="请填写手机号。"),
    ]

    @field_validator("id_number")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        value = normalise_id_number(value)
        problem = id_number_problem(value, clock.today())
        if problem:
            raise rule(problem)
        return value

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str) -> str:
        value = normalise_phone(value)
        problem = phone_problem(value)
        if problem:
            raise rule(problem)
        return value


class CodeRequest(RequestModel):
    """The six digits of the SMS (page: the person is remembered from the first step)."""

    code: Annotated[
        Text,
        Field(title="短信验证码", pattern=r"^\d{6}$"),
        Say(missing="请填写短信里的 6 位验证码。", invalid=CODE_SHAPE),
    ]


class VerifyRequest(RecoveryRequest, CodeRequest):
    """API: ID number, phone and the code in one body."""


class Notice(ResponseModel):
    message: str = Field(description="给群众的中文说明")


class BookingFound(ResponseModel):
    reference: str
    item: str = Field(description="事项名称")
    start: str = Field(description="预约时段开始（ISO，+08:00）")
    status: str = Field(description="状态（中文）")
    phone: str = Field(description="打码的手机号")


class SubmissionFound(ResponseModel):
    reference: str
    target: str = Field(description="申报的事项或一件事")
    created: str = Field(description="提交日期")
    status: str = Field(description="状态（中文）")


class EvaluationFound(ResponseModel):
    reference: str
    level: str = Field(description="评价等级（中文）")
    day: str = Field(description="评价日期")
    item: str = Field(description="事项名称（现场评价可能没有）")


class RecordsOut(ResponseModel):
    bookings: list[BookingFound]
    submissions: list[SubmissionFound]
    evaluations: list[EvaluationFound]
    reminders: bool = Field(description="这个手机号是否接收预约提醒短信")
    no_shows: NoShows = Field(description="这个身份证号的未到记录（与预约页相同）")
