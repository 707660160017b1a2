"""Departments, halls and theme windows with their opening hours."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from .common import Audience, CatalogModel, Phone, ShortText, Slug, Text

ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Period(CatalogModel):
    """A span of opening time within one day."""

    start: ClockTime = Field(title="开始时间", description="24 小时制，写作 09:00。")
    end: ClockTime = Field(
        title="结束时间", description="24 小时制，写作 17:30，必须晚于开始时间。"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end <= self.start:
            raise ValueError(
                f"时间段 {self.start}–{self.end} 的结束时间不晚于开始时间。请把 end 改为晚于 {self.start} 的时间。"
            )
        return self

    @property
    def start_time(self) -> dt.time:
        return dt.time.fromisoformat(self.start)

    @property
    def end_time(self) -> dt.time:
        return dt.time.fromisoformat(self.end)


class Flexible(CatalogModel):
    """早晚弹性办: bookable time before opening and after closing on working days."""

    early_minutes: int = Field(
        0,
        ge=0,
        le=120,
        title="提前开办分钟数",
        description="工作日开门前可预约办理的分钟数，0 到 120。",
    )
    late_minutes: int = Field(
        0,
        ge=0,
        le=120,
        title="延后办理分钟数",
        description="工作日下班后可预约办理的分钟数，0 到 120。",
    )


class Department(CatalogModel):
    id: Slug = Field(title="部门标识", description="部门的唯一标识，事项用它引用部门。")
    name: ShortText = Field(
        title="部门名称", description="部门全称，例如 包头市青山区市场监督管理局。"
    )
    short_name: ShortText = Field(title="部门简称", description="部门简称，例如 区市场监管局。")
    phone: Phone = Field(title="咨询电话", description="部门的咨询电话。")
    address: ShortText | None = Field(None, title="办公地址", description="部门的办公地址。")


class Hall(CatalogModel):
    id: Slug = Field(title="大厅标识", description="办事大厅的唯一标识。")
    name: ShortText = Field(title="大厅名称", description="例如 青山区政务服务中心（市民大厅）。")
    address: ShortText = Field(title="地址", description="大厅的详细地址。")
    phone: Phone | None = Field(None, title="大厅电话", description="大厅的咨询电话。")
    transport: Text | None = Field(None, title="交通指引", description="公交、停车等到达方式。")


class Window(CatalogModel):
    """A theme window (一窗式综合受理窗口) with its counters and hours."""

    id: Slug = Field(title="窗口标识", description="主题窗口的唯一标识，事项用它引用窗口。")
    name: ShortText = Field(title="窗口名称", description="例如 企业开办综合窗口。")
    hall: Slug = Field(title="所在大厅", description="所在办事大厅的标识。")
    location: ShortText = Field(
        title="窗口位置", description="窗口在大厅里的位置，例如 一楼 A 区 1–6 号窗口。"
    )
    audience: list[Audience] = Field(
        min_length=1, title="服务对象", description="自然人、法人，或两者。"
    )
    description: Text | None = Field(None, title="窗口说明", description="窗口受理哪类事项。")
    counters: int = Field(
        ge=1, le=50, title="窗口数量", description="同时办理的柜台数，决定每个预约时段的名额。"
    )
    hours: list[Period] = Field(
        min_length=1,
        title="工作日办公时间",
        description="工作日的办公时间段，例如上午和下午各一段。",
    )
    flexible: Flexible = Field(
        default_factory=Flexible, title="早晚弹性办", description="工作日开门前、下班后的延时服务。"
    )
    weekend: list[Period] = Field(
        default_factory=list,
        title="双休日不打烊",
        description="双休日（非法定节假日）的办公时间段；不写表示双休日不开放。",
    )
    phone: Phone | None = Field(None, title="窗口电话", description="窗口的咨询电话。")
