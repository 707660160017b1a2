"""Site-wide settings and the working-day calendar overrides."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, HttpUrl

from .common import CatalogModel, Phone, ShortText, Text
from .messages import Messages


class Hotline(CatalogModel):
    name: ShortText = Field(title="热线名称", description="例如 政务服务便民热线。")
    phone: Phone = Field(title="号码", description="热线号码，例如 12345。")


class Settings(CatalogModel):
    district: ShortText = Field(title="行政区名称", description="例如 包头市青山区。")
    site_name: ShortText = Field(title="网站名称", description="办事指南网站的标题。")
    description: Text | None = Field(None, title="网站说明", description="首页的简短说明。")
    hotlines: list[Hotline] = Field(
        min_length=1, title="服务热线", description="首页展示的热线电话。"
    )
    complaint_phone: Phone = Field(
        title="投诉电话", description="事项未写投诉电话时使用的全区投诉电话。"
    )
    site_url: HttpUrl | None = Field(
        None, title="网站地址", description="网站发布后的地址，用于生成结构化数据。"
    )
    messages: Messages | None = Field(
        None,
        title="短信和邮件",
        description="发给群众的预约、办件和找回验证码等通知的短信签名和正文。",
    )
    reform_baseline: ShortText | None = Field(
        None,
        title="改革基准版本",
        description="“改革成效”与之比较的事项目录版本：日期（如 2026-01-01）、标签或提交号。不写则数据统计页不显示改革成效。",
    )


class CalendarDay(CatalogModel):
    date: dt.date = Field(title="日期", description="写作 2027-01-01。")
    name: ShortText = Field(title="说明", description="例如 元旦、春节调休上班。")


class ConfirmedYear(CatalogModel):
    year: int = Field(
        ge=2000, le=2100, title="年份", description="已经录入全年放假安排的年份，例如 2027。"
    )
    notice: ShortText = Field(
        title="放假通知",
        description="依据的国务院办公厅通知名称或文号，例如 国务院办公厅关于2027年部分节假日安排的通知。",
    )


class CalendarOverrides(CatalogModel):
    """Local changes on top of China's official working-day calendar (chinese-calendar)."""

    holidays: list[CalendarDay] = Field(
        default_factory=list,
        title="放假日期",
        description="在国家日历之外放假（或国家日历尚未收录的节假日）的日期。",
    )
    workdays: list[CalendarDay] = Field(
        default_factory=list,
        title="调休上班日期",
        description="周末调休上班（或国家日历尚未收录的调休）的日期。",
    )
    confirmed_years: list[ConfirmedYear] = Field(
        default_factory=list,
        title="已确认的年份",
        description="国家日历尚未收录、但已在 holidays 和 workdays 中录入全年放假和调休安排的年份。只有国家日历收录或在这里确认的年份才开放预约。",
    )
