"""Request and answer models of the queue (pydantic v2): one per endpoint, for the kiosk page
and the JSON API alike; the OpenAPI document is generated from them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .. import clock
from ..privacy import id_number_problem, normalise_id_number
from ..schemas import PhoneLast4, Reference, RequestModel, ResponseModel, Say, Text, rule


class TicketRequest(RequestModel):
    """Take a ticket: a window type, or a booking of today; optionally the green channel."""

    window: Annotated[
        Text | None,
        Field(None, title="窗口类别", max_length=80, description="窗口标识；必须是本目录的窗口"),
    ]
    booking_reference: Annotated[
        Reference | None,
        Field(None, title="预约号", description="今天的预约（预约优先），与手机号后 4 位一起填写"),
        Say(invalid="预约号是 8 位字母和数字（不含 0、1、I、L、O）。请对照预约短信填写。"),
    ]
    phone_last4: Annotated[
        PhoneLast4 | None,
        Field(None),
        Say(invalid="请填写预约时所留手机号的最后 4 位数字。"),
    ]
    green: Annotated[
        Literal["elderly", "disabled"] | None,
        Field(
            None,
            title="绿色通道",
            description="elderly 老年人（需身份证号，年龄由配置决定）、disabled 残疾人",
        ),
        Say(invalid="绿色通道只能选“老年人”（elderly）或“残疾人”（disabled）。"),
    ]
    id_number: Annotated[
        Text | None,
        Field(
            None,
            title="身份证号",
            max_length=20,
            description="老年人绿色通道：只用来计算年龄，不保存",
        ),
    ]

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = normalise_id_number(value)
        problem = id_number_problem(value, clock.today())
        if problem:
            raise rule(problem)
        return value


class EmptyRequest(RequestModel):
    """Counter actions without fields (call, recall, skip, finish) take ``{}``."""


class TransferRequest(RequestModel):
    window: Annotated[
        Text, Field(title="转到的窗口类别", max_length=80), Say(missing="请选择要转到的窗口类别。")
    ]


class TicketView(ResponseModel):
    """A ticket as the citizen, the kiosk and the counter see it (no personal data)."""

    number: str = Field(title="号码", description="例如 A012")
    window: str = Field(title="窗口类别")
    window_name: str
    hall: str
    status: Literal["waiting", "called", "finished", "no_show"]
    status_label: str
    priority: Literal["booking", "green", "normal"]
    people_ahead: int = Field(title="前面还有几位", description="等待时")
    estimated_minutes: int = Field(title="预计等待分钟数", description="等待时")
    counter: int | None = Field(None, title="叫到的窗口号")
    issued_at: str = Field(title="取号时间", json_schema_extra={"format": "date-time"})
    url: str = Field(title="手机查看这张号的网址")


class CallView(ResponseModel):
    """The counter's ticket after the action (null when nobody waits)."""

    ticket: TicketView | None
    announcement: str | None = Field(None, description="例如 请 A012 号到 3 号窗口办理")
    message: str | None = None


class WindowQueue(ResponseModel):
    id: str
    name: str
    prefix: str
    waiting: list[str] = Field(description="等待的号码，按叫号顺序")
    open: bool = Field(description="今天还在办公时间内（或尚未开始）")


class CallLine(ResponseModel):
    ticket: str
    counter: int
    window: str
    at: str = Field(json_schema_extra={"format": "date-time"})


class HallState(ResponseModel):
    """A hall's queue now: waiting numbers per window type and the latest calls."""

    hall: str
    name: str
    windows: list[WindowQueue]
    calls: list[CallLine]
    closed: bool


class StatsQuery(RequestModel):
    from_: Annotated[
        Text | None,
        Field(None, alias="from", title="开始日期", description="写作 2026-11-01；默认 30 天前"),
    ]
    to: Annotated[Text | None, Field(None, title="结束日期（含）", description="默认今天")]


class Figures(ResponseModel):
    issued: int = Field(title="取号")
    finished: int = Field(title="办结")
    no_show: int = Field(title="过号")
    unserved: int = Field(title="当天未叫到")
    wait_minutes_mean: float | None = Field(title="平均等候分钟（取号到叫号）")
    wait_minutes_p90: float | None = Field(title="90% 的人等候不超过（分钟）")
    service_minutes_mean: float | None = Field(title="平均办理分钟（叫号到办结）")


class WindowFigures(Figures):
    id: str
    name: str


class HourFigures(Figures):
    hour: int


class DayFigures(Figures):
    day: str = Field(json_schema_extra={"format": "date"})


class QueueStats(Figures):
    """Public queue statistics (no counter-level figures)."""

    from_: str = Field(alias="from", json_schema_extra={"format": "date"})
    to: str = Field(json_schema_extra={"format": "date"})
    open_days: int = Field(title="有取号的天数")
    daily_finished_mean: float | None = Field(
        title="日均办件量", description="办结数 ÷ 有取号的天数"
    )
    windows: list[WindowFigures]
    hours: list[HourFigures]
    days: list[DayFigures]
    priorities: dict[str, Figures]
    generated_at: str = Field(json_schema_extra={"format": "date-time"})
