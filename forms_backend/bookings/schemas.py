"""Booking requests and answers: the one model per endpoint, for the pages and the JSON API.

The rules that need the catalog, the clock or the configuration (item published, kind offered,
slot in the horizon, age from the ID number) are validators; their field descriptions say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from flask import current_app
from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from catalog import Item
from catalog.workdays import CHINA

from .. import clock
from ..availability import booking_horizon, specs
from ..catalog_access import catalog
from ..errors import ActionError
from ..privacy import age_on, id_number_problem, normalise_id_number, normalise_phone, phone_problem
from ..schemas import (
    Flag,
    LongText,
    PhoneLast4,
    Reference,
    RequestModel,
    ResponseModel,
    Say,
    Text,
    rule,
)
from ..slots import BookingKind, SlotSpec, item_allows
from .actions import Applicant

NAME_PATTERN = r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·•. ]{2,30}$"
ITEM_REQUIRED = "请选择要办理的事项。"
KIND_REQUIRED = "请选择预约类型。"
SLOT_REQUIRED = "请选择预约时段。"
NAME_REQUIRED = "请填写姓名。"
NAME_SHAPE = "姓名应为 2 到 30 个汉字或字母（少数民族姓名可用间隔号“·”）。请按身份证上的姓名填写。"
ID_REQUIRED = "请填写身份证号。"
PHONE_REQUIRED = "请填写手机号。"
ADDRESS_LENGTH = "地址最多 200 个字。请精简后重新填写。"
NOTES_LENGTH = "说明最多 500 个字。请精简后重新填写。"
KIND_UNKNOWN = (
    "预约类型只能是 appointment（预约办理）、after_hours（延时服务）或 assisted（帮办代办）。"
)
HOME_VISIT_WHO = "上门服务只面向 70 周岁以上老人和残疾人。请勾选相应情况，或取消上门服务。"
ADDRESS_REQUIRED = "申请上门服务时，请填写上门地址（街道、小区、楼号和门牌号）。"
PHONE_LAST4_REQUIRED = "请填写手机号后 4 位。"
PHONE_LAST4_SHAPE = "请填写预约时所留手机号的最后 4 位数字。"
REFERENCE_SHAPE = "预约号是 8 位字母和数字（不含 0、1、I、L、O），例如 7KQ2M9XA。请对照预约成功页面或短信重新填写。"

Kind = Literal["appointment", "after_hours", "assisted"]
NonBlank = r"\S"  # JSON Schema: at least one character that is not a space (spaces are stripped)
SLOT_DESCRIPTION = (
    "时段开始时间，ISO 8601，例如 2026-11-26T09:00:00+08:00（不带时区按北京时间）；"
    "取自 GET /api/slots 的 slot。是否可约取决于当天：须在预约范围内、尚未开始、是该窗口的时段。"
)


def parse_slot_time(value: str) -> dt.datetime | None:
    """An ISO datetime; a value without offset is China time. None when unreadable."""
    try:
        start = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return start.replace(tzinfo=CHINA) if start.tzinfo is None else start.astimezone(CHINA)


def find_slot(item: Item, kind: BookingKind, value: str) -> SlotSpec:
    """The bookable slot ``value`` names, or a 422 ``ActionError`` on ``slot`` saying why not."""
    start = parse_slot_time(value or "")
    if start is None:
        raise ActionError(
            422,
            f"预约时段“{value}”不是有效的时间，应写作 2026-11-26T09:00:00+08:00。请重新选择时段。",
            field="slot",
        )
    horizon = booking_horizon()
    if start.date() not in horizon:
        raise ActionError(
            422,
            f"只能预约 {horizon.first:%Y年%m月%d日} 至 {horizon.last:%Y年%m月%d日} 的时段，"
            f"您选择的是 {start:%Y年%m月%d日}。请在这个范围内重新选择。{horizon.explanation}",
            field="slot",
        )
    if start <= clock.now():
        raise ActionError(422, "这个时段已经过去了。请选择一个尚未开始的时段。", field="slot")
    for spec in specs(item, kind, start.date()):
        if spec.start == start:
            return spec
    raise ActionError(
        422,
        f"{start:%Y年%m月%d日 %H:%M} 不是可预约的时段（可能不在办公时间，或当天不办公）。请从可选时段中重新选择。",
        field="slot",
    )


def elderly_problem(id_number: str | None) -> str | None:
    """Why the elderly flag of assisted service does not fit this ID number (None: it fits)."""
    if id_number_problem(id_number or "", clock.today()):
        return None  # the ID number has its own error
    minimum = int(current_app.config["ASSISTED_ELDERLY_AGE"])
    if age_on(id_number, clock.today()) < minimum:
        return f"根据身份证号，申请人未满 {minimum} 周岁。请取消勾选此项；如是残疾人，请勾选“我是残疾人”。"
    return None


def _valid_id(value: str) -> str:
    problem = id_number_problem(value, clock.today())
    if problem:
        raise rule(problem)
    return normalise_id_number(value)


def _valid_phone(value: str) -> str:
    problem = phone_problem(value)
    if problem:
        raise rule(problem)
    return normalise_phone(value)


IdNumber = Annotated[
    Text,
    Field(
        title="身份证号",
        min_length=1,
        json_schema_extra={"pattern": r"^\s*(\d\s*){17}[\dXx]\s*$"},
        description="18 位居民身份证号（GB 11643：出生日期有效、校验位正确；空格会被去掉）。",
    ),
    Say(missing=ID_REQUIRED),
    AfterValidator(_valid_id),
]
Phone = Annotated[
    Text,
    Field(
        title="手机号",
        min_length=1,
        json_schema_extra={"pattern": r"^\s*(\+86)?[\s-]*1[\s-]*[3-9]([\s-]*\d){9}[\s-]*$"},
        description="11 位手机号，以 1 开头，第二位 3–9（可带 +86、空格和连字符）。",
    ),
    Say(missing=PHONE_REQUIRED),
    AfterValidator(_valid_phone),
]


def _context(info: ValidationInfo) -> dict:
    return info.context if info.context is not None else {}


class BookingRequest(RequestModel):
    """A booking: ``POST /api/bookings`` and the form of ``/bookings/new``."""

    item: Annotated[
        Text,
        Field(
            title="事项",
            min_length=1,
            json_schema_extra={"pattern": NonBlank},
            description="事项标识（GET /api/items 的 id）；须是当前可预约的事项。",
        ),
        Say(missing=ITEM_REQUIRED),
    ]
    kind: Annotated[
        Kind, Field(title="预约类型"), Say(missing=KIND_REQUIRED, invalid=KIND_UNKNOWN)
    ] = "appointment"
    slot: Annotated[
        Text,
        Field(
            title="预约时段",
            min_length=1,
            json_schema_extra={"pattern": NonBlank},
            description=SLOT_DESCRIPTION,
        ),
        Say(missing=SLOT_REQUIRED),
    ]
    name: Annotated[
        Text,
        Field(title="姓名", pattern=NAME_PATTERN),
        Say(missing=NAME_REQUIRED, invalid=NAME_SHAPE),
    ]
    id_number: IdNumber
    phone: Phone
    elderly: Annotated[
        Flag,
        Field(
            title="我已年满 70 周岁",
            description="帮办代办：按身份证号的出生日期核对年龄（ASSISTED_ELDERLY_AGE）。",
        ),
    ] = False
    disabled: Annotated[Flag, Field(title="我是残疾人")] = False
    home_visit: Annotated[
        Flag,
        Field(
            title="申请上门服务",
            description="帮办代办：须勾选 elderly 或 disabled，并填写 address。",
        ),
    ] = False
    address: Annotated[
        Text, Field(title="上门服务地址", max_length=200), Say(too_long=ADDRESS_LENGTH)
    ] = ""
    notes: Annotated[
        LongText, Field(title="需要说明的情况", max_length=500), Say(too_long=NOTES_LENGTH)
    ] = ""

    idempotency_key: Annotated[
        Text,
        Field(
            title="请求编号",
            pattern=r"^([A-Za-z0-9_-]{16,64})?$",
            description="可选。每次新的预约由客户端生成一个随机编号（16–64 位字母、数字、- 或 _）；"
            "网络中断后用同一编号重试，会得到已经保存的同一个预约（200），而不会重复预约。",
        ),
        Say(invalid="请求编号应为 16 到 64 位字母、数字、“-”或“_”。请刷新页面后重新提交。"),
    ] = ""

    _applicant: Applicant | None = PrivateAttr(None)

    @model_validator(mode="before")
    @classmethod
    def _remember_flags(cls, data, info: ValidationInfo):
        """The checkboxes as sent, for the rules that read one flag while checking another."""
        if isinstance(data, dict):
            _context(info)["flags"] = {
                k: data.get(k) is True for k in ("elderly", "disabled", "home_visit")
            }
        return data

    @field_validator("item")
    @classmethod
    def _bookable(cls, value: str, info: ValidationInfo) -> str:
        item = catalog().items.get(value)
        if item is None or not item.published:
            raise rule(f"没有找到可预约的事项“{value}”。请从办事指南的事项页面进入预约。")
        _context(info)["item"] = item
        return value

    @field_validator("kind")
    @classmethod
    def _offered(cls, value: str, info: ValidationInfo) -> str:
        item = _context(info).get("item")
        kind = BookingKind(value)
        if item is not None and not item_allows(item, kind):
            raise rule(f"事项“{item.name}”不提供{kind.label}。请选择其他预约类型。")
        return value

    @field_validator("slot")
    @classmethod
    def _bookable_slot(cls, value: str, info: ValidationInfo) -> str:
        item, kind = _context(info).get("item"), info.data.get("kind")
        if item is not None and kind is not None:
            try:
                _context(info)["slot"] = find_slot(item, BookingKind(kind), value)
            except ActionError as error:
                raise rule(error.message) from None
        return value

    @field_validator("elderly")
    @classmethod
    def _old_enough(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("kind") == "assisted":
            problem = elderly_problem(info.data.get("id_number"))
            if problem:
                raise rule(problem)
        return value

    @field_validator("home_visit")
    @classmethod
    def _who_gets_visits(cls, value: bool, info: ValidationInfo) -> bool:
        flags = _context(info).get("flags", {})
        if value and info.data.get("kind") == "assisted":
            if not (flags.get("elderly") or flags.get("disabled")):
                raise rule(HOME_VISIT_WHO)
        return value

    @field_validator("address")
    @classmethod
    def _visit_address(cls, value: str, info: ValidationInfo) -> str:
        visit = _context(info).get("flags", {}).get("home_visit")
        if not value and info.data.get("kind") == "assisted" and visit:
            raise rule(ADDRESS_REQUIRED)
        return value

    @model_validator(mode="after")
    def _to_applicant(self, info: ValidationInfo):
        assisted = self.kind == "assisted"
        self._applicant = Applicant(
            item=self.item,
            kind=BookingKind(self.kind),
            slot=_context(info)["slot"],
            name=self.name,
            id_number=self.id_number,
            phone=self.phone,
            elderly=assisted and self.elderly,
            disabled=assisted and self.disabled,
            home_visit=assisted and self.home_visit,
            address=(self.address or None) if assisted else None,
            notes=self.notes or None,
            idempotency_key=self.idempotency_key or None,
        )
        return self

    @property
    def applicant(self) -> Applicant:
        """What ``create_booking`` stores (the slot resolved, flags only for assisted service)."""
        assert self._applicant is not None
        return self._applicant


class PhoneCheck(RequestModel):
    """The last 4 digits of the booking's phone: every lookup, cancel and reschedule."""

    phone_last4: Annotated[PhoneLast4, Say(missing=PHONE_LAST4_REQUIRED, invalid=PHONE_LAST4_SHAPE)]


class LookupRequest(PhoneCheck):
    """The lookup form of ``/bookings/lookup``."""

    reference: Annotated[
        Reference, Field(title="预约号"), Say(missing="请填写预约号。", invalid=REFERENCE_SHAPE)
    ]


RECOVER_NEEDS_CODE = (
    "本大厅已开通短信验证码找回：请先用身份证号和手机号获取验证码（/api/recovery/code），"
    "再凭验证码查看您的预约（/api/recovery/verify）。"
)
RECOVER_NOT_FOUND = "没有找到这一天的预约：身份证号、手机号或日期不对，或者预约已取消。请核对后重试；仍找不到时，请致电大厅咨询。"


class RecoverRequest(RequestModel):
    """找回预约号: ``POST /api/bookings/recover`` and the by-date form of 找回我的预约和办件
    (``/bookings/mine/``, where no SMS channel is set up)."""

    id_number: IdNumber
    phone: Phone
    date: Annotated[
        dt.date,
        Field(title="预约日期", description="预约办理的日期，写作 2026-11-26。"),
        Say(missing="请填写预约的日期。", invalid="预约日期应写作 年-月-日，例如 2026-11-26。"),
    ]


class RescheduleRequest(PhoneCheck):
    """``POST /api/bookings/{reference}/reschedule``."""

    slot: Annotated[
        Text,
        Field(
            title="新的预约时段",
            min_length=1,
            json_schema_extra={"pattern": NonBlank},
            description=SLOT_DESCRIPTION,
        ),
        Say(missing="请选择新的预约时段。"),
    ]


class NewSlot(RequestModel):
    """The reschedule form of ``/bookings/REF/reschedule`` (the browser already proved itself)."""

    slot: Annotated[
        Text,
        Field(title="新的预约时段", min_length=1),
        Say(missing="请选择新的预约时段。"),
    ]


class KindQuery(RequestModel):
    """``?kind=`` of the next-slot endpoint."""

    kind: Annotated[
        Kind,
        Field(title="预约类型"),
        Say(invalid="kind 只能是 appointment、after_hours 或 assisted。"),
    ] = "appointment"


class SlotsQuery(KindQuery):
    """``GET /api/slots``: one day's slots of an item."""

    item: Annotated[
        Text,
        Field(
            title="事项标识", min_length=1, description="须是当前可预约的事项（GET /api/items）。"
        ),
        Say(missing="请用 item 参数指定事项标识，例如 item=business-licence。"),
    ]
    date: Annotated[
        Text,
        Field(
            title="日期",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            description="YYYY-MM-DD；须在预约范围内（BOOKING_FIRST_DAY_OFFSET 起若干个工作日）。",
        ),
    ]

    @field_validator("item")
    @classmethod
    def _published(cls, value: str) -> str:
        item = catalog().items.get(value)
        if item is None or not item.published:
            raise rule(f"没有找到事项“{value[:80]}”。请检查事项标识。")
        return value

    @field_validator("date", mode="wrap")
    @classmethod
    def _in_horizon(cls, value, handler) -> str:
        horizon = booking_horizon()
        try:
            day = dt.date.fromisoformat(handler(value))
        except ValueError:
            raise rule(f"date 应写作 YYYY-MM-DD，例如 {horizon.first.isoformat()}。") from None
        if day not in horizon:
            raise rule(
                f"只能查询 {horizon.first.isoformat()} 至 {horizon.last.isoformat()} 的时段。"
                + horizon.explanation
            )
        return day.isoformat()


# --- answers -----------------------------------------------------------------------------------


class ItemRef(ResponseModel):
    id: str
    name: str


class WindowOut(ResponseModel):
    id: str
    name: str
    location: str | None
    hall: str | None
    address: str | None


class Assisted(ResponseModel):
    elderly: bool
    disabled: bool
    home_visit: bool


class Material(ResponseModel):
    name: str
    required: bool
    """True only when every applicant must bring it (situational materials are not)."""
    condition: str | None
    """When a situational material is needed, in words (仅当“…”选“…”时需要)."""
    form: str
    copies: int
    notes: str | None


class Links(ResponseModel):
    self: str


class BookingOut(ResponseModel):
    """预约（个人信息已打码）"""

    reference: str = Field(title="预约号")
    status: Literal["booked", "checked_in", "served", "no_show", "visit_missed", "cancelled"]
    status_label: str
    item: ItemRef
    kind: Kind
    start: dt.datetime
    end: dt.datetime
    window: WindowOut
    name: str = Field(description="打码的姓名，例如 张*")
    id_number: str = Field(description="打码的身份证号")
    phone: str = Field(description="打码的手机号")
    assisted: Assisted
    materials: list[Material]
    links: Links


class NoShows(ResponseModel):
    """未到记录：近 lookback_days 天内仍计入的未到次数（撤销的、当天补签到的不算）"""

    count: int = Field(title="计入的未到次数")
    limit: int = Field(title="满几次暂停网上预约", description="0 表示不暂停")
    lookback_days: int = Field(title="统计最近多少天")
    block_days: int = Field(title="暂停多少天")
    blocked_until: dt.date | None = Field(
        title="暂停到哪天为止", description="这一天起可以再网上预约；没有暂停时为 null"
    )


class BookingLookupOut(BookingOut):
    """预约（个人信息已打码），以及预约人的未到记录"""

    no_shows: NoShows


class BookableItem(ResponseModel):
    id: str
    name: str
    window: str
    kinds: list[Kind]


class ItemsOut(ResponseModel):
    """可预约的事项"""

    items: list[BookableItem]


class SlotOut(ResponseModel):
    slot: dt.datetime = Field(description="预约时提交的值")
    start: dt.datetime
    end: dt.datetime
    window: str
    kind: str
    capacity: int
    remaining: int = Field(ge=0)


class SlotsOut(ResponseModel):
    """当天的时段与余量"""

    item: str
    kind: Kind
    date: dt.date
    slots: list[SlotOut]


class NextSlotOut(SlotOut):
    """最早有余量的时段"""

    item: str
