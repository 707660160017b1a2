"""Booking forms. The HTML pages and the JSON API validate with the same classes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from catalog import Item
from catalog.workdays import CHINA

from .. import clock
from ..availability import booking_horizon, catalog, specs
from ..privacy import age_on, id_number_problem, normalise_id_number, normalise_phone, phone_problem
from ..references import is_reference, normalise_reference
from ..slots import BookingKind, SlotSpec, item_allows
from .actions import Applicant

NAME_PATTERN = r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·•. ]{2,30}$"
_NAME = re.compile(NAME_PATTERN)

# Messages shared by BookingForm (HTML pages) and check_booking (the JSON API).
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


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def parse_slot_time(value: str) -> dt.datetime | None:
    """An ISO datetime; a value without offset is China time. None when unreadable."""
    try:
        start = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return start.replace(tzinfo=CHINA) if start.tzinfo is None else start.astimezone(CHINA)


def find_slot(item: Item, kind: BookingKind, value: str) -> SlotSpec:
    """The bookable slot ``value`` names, or ValidationError saying what is wrong with it."""
    start = parse_slot_time(value or "")
    if start is None:
        raise ValidationError(
            f"预约时段“{value}”不是有效的时间，应写作 2026-11-26T09:00:00+08:00。请重新选择时段。"
        )
    horizon = booking_horizon()
    if start.date() not in horizon:
        raise ValidationError(
            f"只能预约 {horizon.first:%Y年%m月%d日} 至 {horizon.last:%Y年%m月%d日} 的时段，"
            f"您选择的是 {start:%Y年%m月%d日}。请在这个范围内重新选择。{horizon.explanation}"
        )
    if start <= clock.now():
        raise ValidationError("这个时段已经过去了。请选择一个尚未开始的时段。")
    for spec in specs(item, kind, start.date()):
        if spec.start == start:
            return spec
    raise ValidationError(
        f"{start:%Y年%m月%d日 %H:%M} 不是可预约的时段（可能不在办公时间，或当天不办公）。请从可选时段中重新选择。"
    )


def bookable_item(value: str | None) -> Item:
    """The published catalog item ``value`` names, or ValidationError."""
    item = catalog().items.get(value or "")
    if item is None or not item.published:
        raise ValidationError(f"没有找到可预约的事项“{value}”。请从办事指南的事项页面进入预约。")
    return item


def offered_kind(value: str | None, item: Item | None) -> BookingKind:
    """The booking kind ``value`` names, offered for ``item`` (when known), or ValidationError."""
    try:
        kind = BookingKind(value)
    except ValueError:
        raise ValidationError(KIND_UNKNOWN) from None
    if item is not None and not item_allows(item, kind):
        raise ValidationError(f"事项“{item.name}”不提供{kind.label}。请选择其他预约类型。")
    return kind


def elderly_problem(id_number: str | None) -> str | None:
    """Why the elderly flag of assisted service does not fit this ID number (None: it fits)."""
    if id_number_problem(id_number or "", clock.today()):
        return None  # the ID number has its own error
    minimum = int(current_app.config["ASSISTED_ELDERLY_AGE"])
    if age_on(id_number, clock.today()) < minimum:
        return f"根据身份证号，申请人未满 {minimum} 周岁。请取消勾选此项；如是残疾人，请勾选“我是残疾人”。"
    return None


class ItemKindMixin:
    """The item and booking kind, checked against the catalog."""

    item_obj: Item | None = None
    kind_obj: BookingKind | None = None

    def validate_item(self, field) -> None:
        self.item_obj = bookable_item(field.data)

    def validate_kind(self, field) -> None:
        self.kind_obj = offered_kind(field.data, self.item_obj)


class BookingForm(ItemKindMixin, FlaskForm):
    item = HiddenField("事项", validators=[InputRequired(message=ITEM_REQUIRED)])
    kind = HiddenField(
        "预约类型",
        default=BookingKind.APPOINTMENT.value,
        validators=[InputRequired(message=KIND_REQUIRED)],
    )
    slot = StringField(
        "预约时段", validators=[InputRequired(message=SLOT_REQUIRED)], filters=[_strip]
    )
    name = StringField(
        "姓名",
        filters=[_strip],
        validators=[
            InputRequired(message=NAME_REQUIRED),
            Regexp(
                NAME_PATTERN,
                message=NAME_SHAPE,
            ),
        ],
    )
    id_number = StringField(
        "身份证号", validators=[InputRequired(message=ID_REQUIRED)], filters=[_strip]
    )
    phone = StringField(
        "手机号", validators=[InputRequired(message=PHONE_REQUIRED)], filters=[_strip]
    )
    elderly = BooleanField("我已年满 70 周岁")
    disabled = BooleanField("我是残疾人")
    home_visit = BooleanField("申请上门服务")
    address = StringField(
        "上门服务地址",
        filters=[_strip],
        validators=[Length(max=200, message=ADDRESS_LENGTH)],
    )
    notes = TextAreaField(
        "需要说明的情况",
        filters=[_strip],
        validators=[Optional(), Length(max=500, message=NOTES_LENGTH)],
    )

    slot_spec: SlotSpec | None = None

    def validate_slot(self, field) -> None:
        if self.item_obj is None or self.kind_obj is None:
            return  # the item or kind already has an error
        self.slot_spec = find_slot(self.item_obj, self.kind_obj, field.data)

    def validate_id_number(self, field) -> None:
        problem = id_number_problem(field.data, clock.today())
        if problem:
            raise ValidationError(problem)
        field.data = normalise_id_number(field.data)

    def validate_phone(self, field) -> None:
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem)
        field.data = normalise_phone(field.data)

    def validate_elderly(self, field) -> None:
        if not field.data or self.kind_obj is not BookingKind.ASSISTED:
            return
        problem = elderly_problem(self.id_number.data)
        if problem:
            raise ValidationError(problem)

    def validate_home_visit(self, field) -> None:
        if not field.data or self.kind_obj is not BookingKind.ASSISTED:
            return
        if not (self.elderly.data or self.disabled.data):
            raise ValidationError(HOME_VISIT_WHO)

    def validate_address(self, field) -> None:
        if self.home_visit.data and self.kind_obj is BookingKind.ASSISTED and not field.data:
            raise ValidationError(ADDRESS_REQUIRED)


def _error(errors: dict[str, str], field: str, message: str) -> None:
    errors.setdefault(field, message)  # the first message of each field, like form_errors()


def _filled(value: str | None) -> bool:
    return bool(value)  # WTForms InputRequired: the raw value is present and not empty


def check_booking(data: Mapping[str, str]) -> tuple[Applicant | None, dict[str, str]]:
    """Validate a booking like ``BookingForm`` does, without building a form (the JSON API).

    Same rules, same order, same messages (a test compares both on many inputs); it exists
    because WTForms' per-request form construction was a large part of a booking's cost.
    ``data`` maps field names to strings; a true flag is any value but "" and "false".
    Returns the applicant, or None and the first message per invalid field.
    """
    errors: dict[str, str] = {}
    item = kind = spec = None
    raw_item, raw_kind = data.get("item"), data.get("kind")
    try:
        if not _filled(raw_item):
            raise ValidationError(ITEM_REQUIRED)
        item = bookable_item(raw_item)
    except ValidationError as error:
        _error(errors, "item", str(error))
    try:
        if not _filled(raw_kind):
            raise ValidationError(KIND_REQUIRED)
        kind = offered_kind(raw_kind, item)
    except ValidationError as error:
        _error(errors, "kind", str(error))
    raw = data.get("slot")
    if not _filled(raw):
        _error(errors, "slot", SLOT_REQUIRED)
    elif item is not None and kind is not None:
        try:
            spec = find_slot(item, kind, raw.strip())
        except ValidationError as error:
            _error(errors, "slot", str(error))
    raw = data.get("name")
    name = _strip(raw)
    if not _filled(raw):
        _error(errors, "name", NAME_REQUIRED)
    elif not _NAME.match(name or ""):
        _error(errors, "name", NAME_SHAPE)
    raw = data.get("id_number")
    id_number = _strip(raw)
    if not _filled(raw):
        _error(errors, "id_number", ID_REQUIRED)
    elif problem := id_number_problem(id_number, clock.today()):
        _error(errors, "id_number", problem)
    else:
        id_number = normalise_id_number(id_number)
    raw = data.get("phone")
    phone = _strip(raw)
    if not _filled(raw):
        _error(errors, "phone", PHONE_REQUIRED)
    elif problem := phone_problem(phone):
        _error(errors, "phone", problem)
    else:
        phone = normalise_phone(phone)
    elderly, disabled, home_visit = (
        data.get(flag) not in (None, "", "false") for flag in ("elderly", "disabled", "home_visit")
    )
    assisted = kind is BookingKind.ASSISTED
    if elderly and assisted and (problem := elderly_problem(id_number)):
        _error(errors, "elderly", problem)
    if home_visit and assisted and not (elderly or disabled):
        _error(errors, "home_visit", HOME_VISIT_WHO)
    address = _strip(data.get("address"))
    if address and len(address) > 200:
        _error(errors, "address", ADDRESS_LENGTH)
    if home_visit and assisted and not address:
        _error(errors, "address", ADDRESS_REQUIRED)
    raw = data.get("notes")
    notes = _strip(raw)
    if raw and raw.strip() and len(notes) > 500:
        _error(errors, "notes", NOTES_LENGTH)
    if errors:
        return None, errors
    applicant = Applicant(
        item=item.id,
        kind=kind,
        slot=spec,
        name=name,
        id_number=id_number,
        phone=phone,
        elderly=assisted and elderly,
        disabled=assisted and disabled,
        home_visit=assisted and home_visit,
        address=(address or None) if assisted else None,
        notes=notes or None,
    )
    return applicant, errors


class LookupForm(FlaskForm):
    reference = StringField(
        "预约号",
        filters=[lambda v: normalise_reference(v) if isinstance(v, str) else v],
        validators=[InputRequired(message="请填写预约号。")],
    )
    phone_last4 = StringField(
        "手机号后 4 位",
        filters=[_strip],
        validators=[
            InputRequired(message="请填写手机号后 4 位。"),
            Regexp(r"^\d{4}$", message="请填写预约时所留手机号的最后 4 位数字。"),
        ],
    )

    def validate_reference(self, field) -> None:
        if not is_reference(field.data):
            raise ValidationError(
                "预约号是 8 位字母和数字（不含 0、1、I、L、O），例如 7KQ2M9XA。请对照预约成功页面或短信重新填写。"
            )


class RescheduleForm(FlaskForm):
    slot = StringField(
        "新的预约时段",
        validators=[InputRequired(message="请选择新的预约时段。")],
        filters=[_strip],
    )


class EmptyForm(FlaskForm):
    """Just the CSRF token, for POST buttons such as cancel."""
