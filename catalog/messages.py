"""Message templates (SMS and e-mail) in ``settings.yml``: the events, their placeholders, and
the check that every template fits one SMS segment.

Editors change the wording through a pull request; the backend renders these texts. The SMS
provider keeps its own approved copy of each template under ``sms_template`` (the code); the
text here must say the same, with the same placeholders.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from .common import CatalogModel, ShortText, Text
from .problems import Problem

SMS_SEGMENT = 70
"""Characters of one SMS segment with Chinese text, the signature 【…】 included."""


@dataclass(frozen=True)
class Placeholder:
    """A value the backend fills in; ``longest`` is its longest rendering (for the length check)."""

    label: str
    longest: int


PLACEHOLDERS: dict[str, Placeholder] = {
    "reference": Placeholder("编号（预约号、申报编号或评价编号，8 位）", 8),
    "item": Placeholder("事项名称（超过 12 字时截断）", 12),
    "date": Placeholder("日期，例如 11月26日", 6),
    "time": Placeholder("时间，例如 09:30", 5),
    "window": Placeholder("窗口名称（超过 10 字时截断）", 10),
    "department": Placeholder("部门简称，例如 区市场监管局（超过 10 字时截断）", 10),
    "due": Placeholder("承诺办结日期，例如 12月15日", 6),
    "phone": Placeholder("大厅咨询电话，例如 0472-3612345", 13),
    "code": Placeholder("六位验证码", 6),
    "minutes": Placeholder("验证码有效分钟数", 2),
}


@dataclass(frozen=True)
class Event:
    """Something that sends a message, with the placeholders its template may use."""

    label: str
    placeholders: tuple[str, ...]
    required: tuple[str, ...] = ("reference",)


EVENTS: dict[str, Event] = {
    "booking_confirmed": Event("预约成功", ("reference", "item", "date", "time", "window")),
    "booking_cancelled": Event("预约已取消", ("reference", "item", "date", "time")),
    "booking_rescheduled": Event("预约已改期", ("reference", "item", "date", "time", "window")),
    "booking_no_show": Event("预约未到", ("reference", "item", "date", "phone")),
    "booking_no_show_undone": Event("未到记录已撤销", ("reference", "item", "date")),
    "home_visit_confirmed": Event(
        "上门服务预约成功", ("reference", "item", "date", "time", "phone")
    ),
    "home_visit_rescheduled": Event(
        "上门服务已改期", ("reference", "item", "date", "time", "phone")
    ),
    "booking_reminder": Event("预约前一天提醒", ("reference", "item", "date", "time", "window")),
    "home_visit_reminder": Event("上门服务当天提醒", ("reference", "item", "time", "phone")),
    "case_accepted": Event("申报已受理", ("reference", "item", "due")),
    "case_returned": Event("申报退回补正", ("reference", "item", "phone")),
    "case_concluded": Event("申报已办结", ("reference", "item")),
    "case_not_accepted": Event("申报不予受理", ("reference", "item", "phone")),
    "case_refused": Event("申报不予许可", ("reference", "item", "phone")),
    "case_rerouted": Event("申报改由其他部门办理", ("reference", "item", "department", "phone")),
    "follow_up_replied": Event("差评整改已答复", ("reference",)),
    "recovery_code": Event("找回预约和办件的验证码", ("code", "minutes"), required=("code",)),
}


class MessageTemplate(CatalogModel):
    """One message: its text and the SMS provider's code for the approved template."""

    text: Text = Field(
        title="短信正文",
        description="不含签名的短信正文，用 {reference} 这样的占位符填入编号、时间等；"
        "加上签名后按最长内容计算不能超过 70 字（一条短信）。电子邮件也用这段文字。",
    )
    sms_template: ShortText = Field(
        title="短信模板编号",
        description="短信服务商审核通过的模板编号（阿里云为 SMS_ 开头），模板内容要与正文一致。",
    )


def _template_field(event: Event):
    allowed = "、".join("{" + name + "}" for name in event.placeholders)
    return Field(title=event.label, description=f"“{event.label}”的短信。可用的占位符：{allowed}。")


class MessageTemplates(CatalogModel):
    """One template per event (every event must have one)."""

    booking_confirmed: MessageTemplate = _template_field(EVENTS["booking_confirmed"])
    booking_cancelled: MessageTemplate = _template_field(EVENTS["booking_cancelled"])
    booking_rescheduled: MessageTemplate = _template_field(EVENTS["booking_rescheduled"])
    booking_no_show: MessageTemplate = _template_field(EVENTS["booking_no_show"])
    booking_no_show_undone: MessageTemplate = _template_field(EVENTS["booking_no_show_undone"])
    home_visit_confirmed: MessageTemplate = _template_field(EVENTS["home_visit_confirmed"])
    home_visit_rescheduled: MessageTemplate = _template_field(EVENTS["home_visit_rescheduled"])
    booking_reminder: MessageTemplate = _template_field(EVENTS["booking_reminder"])
    home_visit_reminder: MessageTemplate = _template_field(EVENTS["home_visit_reminder"])
    case_accepted: MessageTemplate = _template_field(EVENTS["case_accepted"])
    case_returned: MessageTemplate = _template_field(EVENTS["case_returned"])
    case_concluded: MessageTemplate = _template_field(EVENTS["case_concluded"])
    case_not_accepted: MessageTemplate = _template_field(EVENTS["case_not_accepted"])
    case_refused: MessageTemplate = _template_field(EVENTS["case_refused"])
    case_rerouted: MessageTemplate = _template_field(EVENTS["case_rerouted"])
    follow_up_replied: MessageTemplate = _template_field(EVENTS["follow_up_replied"])
    recovery_code: MessageTemplate = _template_field(EVENTS["recovery_code"])


class Messages(CatalogModel):
    """Short messages to citizens: the SMS signature and one template per event."""

    sms_signature: ShortText = Field(
        title="短信签名",
        description="短信服务商审核通过的签名，不写【】，例如 青山区政务服务中心。",
        max_length=20,
    )
    templates: MessageTemplates = Field(
        title="消息模板", description="每种通知的短信正文和模板编号，每种都要写。"
    )


def placeholders_of(text: str) -> list[str]:
    """The ``{name}`` placeholders of ``text``; ValueError when a brace is unbalanced."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def render(text: str, values: dict[str, str]) -> str:
    """Fill the placeholders (the check guarantees they are known)."""
    return text.format_map(values)


def sms_length(signature: str, text: str) -> int:
    """Characters of the message with every placeholder at its longest, signature included."""
    longest = {name: "字" * PLACEHOLDERS[name].longest for name in PLACEHOLDERS}
    return len(f"【{signature}】") + len(render(text, longest))


def check_messages(messages: Messages | None, path: Path) -> list[Problem]:
    """Unknown or missing placeholders and messages longer than one SMS segment."""
    if messages is None:
        return []
    problems: list[Problem] = []
    for name, event in EVENTS.items():
        template: MessageTemplate = getattr(messages.templates, name)
        loc = ("messages", "templates", name, "text")
        try:
            used = placeholders_of(template.text)
        except ValueError:
            problems.append(
                Problem(
                    path,
                    loc,
                    f"“{event.label}”的短信正文里的花括号不成对。占位符要写成 {{reference}} 这样，"
                    "一对英文花括号中间是占位符名称；正文里不要单独使用花括号。",
                )
            )
            continue
        allowed = "、".join("{" + p + "}" for p in event.placeholders)
        unknown = [p for p in dict.fromkeys(used) if p not in event.placeholders]
        for placeholder in unknown:
            problems.append(
                Problem(
                    path,
                    loc,
                    f"“{event.label}”的短信正文用了占位符 {{{placeholder}}}，这种通知没有这项内容。"
                    f"可用的占位符有：{allowed}。请改正或删去它。",
                )
            )
        for placeholder in event.required:
            if placeholder not in used:
                problems.append(
                    Problem(
                        path,
                        loc,
                        f"“{event.label}”的短信正文缺少占位符 {{{placeholder}}}"
                        f"（{PLACEHOLDERS[placeholder].label}），群众凭它才能办理。请把它写进正文。",
                    )
                )
        if unknown:
            continue
        length = sms_length(messages.sms_signature, template.text)
        if length > SMS_SEGMENT:
            problems.append(
                Problem(
                    path,
                    loc,
                    f"“{event.label}”的短信按最长内容填入并加上签名【{messages.sms_signature}】后共 "
                    f"{length} 字，超过一条短信的 {SMS_SEGMENT} 字，会拆成两条发送并加倍收费。"
                    f"请删减 {length - SMS_SEGMENT} 字以上。",
                )
            )
    return problems
