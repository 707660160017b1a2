"""Booking forms. The HTML pages and the JSON API validate with the same classes."""

from __future__ import annotations

import datetime as dt

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

NAME_PATTERN = r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·•. ]{2,30}$"


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
            f"您选择的是 {start:%Y年%m月%d日}。请在这个范围内重新选择。"
        )
    if start <= clock.now():
        raise ValidationError("这个时段已经过去了。请选择一个尚未开始的时段。")
    for spec in specs(item, kind, start.date()):
        if spec.start == start:
            return spec
    raise ValidationError(
        f"{start:%Y年%m月%d日 %H:%M} 不是可预约的时段（可能不在办公时间，或当天不办公）。请从可选时段中重新选择。"
    )


class ItemKindMixin:
    """The item and booking kind, checked against the catalog."""

    item_obj: Item | None = None
    kind_obj: BookingKind | None = None

    def validate_item(self, field) -> None:
        item = catalog().items.get(field.data or "")
        if item is None or not item.published:
            raise ValidationError(
                f"没有找到可预约的事项“{field.data}”。请从办事指南的事项页面进入预约。"
            )
        self.item_obj = item

    def validate_kind(self, field) -> None:
        try:
            kind = BookingKind(field.data)
        except ValueError:
            raise ValidationError(
                "预约类型只能是 appointment（预约办理）、after_hours（延时服务）或 assisted（帮办代办）。"
            ) from None
        if self.item_obj is not None and not item_allows(self.item_obj, kind):
            raise ValidationError(
                f"事项“{self.item_obj.name}”不提供{kind.label}。请选择其他预约类型。"
            )
        self.kind_obj = kind


class BookingForm(ItemKindMixin, FlaskForm):
    item = HiddenField("事项", validators=[InputRequired(message="请选择要办理的事项。")])
    kind = HiddenField(
        "预约类型",
        default=BookingKind.APPOINTMENT.value,
        validators=[InputRequired(message="请选择预约类型。")],
    )
    slot = StringField(
        "预约时段", validators=[InputRequired(message="请选择预约时段。")], filters=[_strip]
    )
    name = StringField(
        "姓名",
        filters=[_strip],
        validators=[
            InputRequired(message="请填写姓名。"),
            Regexp(
                NAME_PATTERN,
                message="姓名应为 2 到 30 个汉字或字母（少数民族姓名可用间隔号“·”）。请按身份证上的姓名填写。",
            ),
        ],
    )
    id_number = StringField(
        "身份证号", validators=[InputRequired(message="请填写身份证号。")], filters=[_strip]
    )
    phone = StringField(
        "手机号", validators=[InputRequired(message="请填写手机号。")], filters=[_strip]
    )
    elderly = BooleanField("我已年满 70 周岁")
    disabled = BooleanField("我是残疾人")
    home_visit = BooleanField("申请上门服务")
    address = StringField(
        "上门服务地址",
        filters=[_strip],
        validators=[Length(max=200, message="地址最多 200 个字。请精简后重新填写。")],
    )
    notes = TextAreaField(
        "需要说明的情况",
        filters=[_strip],
        validators=[Optional(), Length(max=500, message="说明最多 500 个字。请精简后重新填写。")],
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
        if id_number_problem(self.id_number.data or "", clock.today()):
            return
        minimum = int(current_app.config["ASSISTED_ELDERLY_AGE"])
        if age_on(self.id_number.data, clock.today()) < minimum:
            raise ValidationError(
                f"根据身份证号，申请人未满 {minimum} 周岁。请取消勾选此项；如是残疾人，请勾选“我是残疾人”。"
            )

    def validate_home_visit(self, field) -> None:
        if not field.data or self.kind_obj is not BookingKind.ASSISTED:
            return
        if not (self.elderly.data or self.disabled.data):
            raise ValidationError(
                "上门服务只面向 70 周岁以上老人和残疾人。请勾选相应情况，或取消上门服务。"
            )

    def validate_address(self, field) -> None:
        if self.home_visit.data and self.kind_obj is BookingKind.ASSISTED and not field.data:
            raise ValidationError("申请上门服务时，请填写上门地址（街道、小区、楼号和门牌号）。")


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
