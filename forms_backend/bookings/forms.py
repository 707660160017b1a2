"""The booking pages' WTForms classes: they render the fields and carry the CSRF token only.
The rules are the models in ``schemas.py`` (``validate_form`` puts their messages on these
fields)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from ..slots import BookingKind


class BookingForm(FlaskForm):
    item = HiddenField("事项")
    kind = HiddenField("预约类型", default=BookingKind.APPOINTMENT.value)
    slot = StringField("预约时段")
    name = StringField("姓名")
    id_number = StringField("身份证号")
    phone = StringField("手机号")
    elderly = BooleanField("我已年满 70 周岁")
    disabled = BooleanField("我是残疾人")
    home_visit = BooleanField("申请上门服务")
    address = StringField("上门服务地址")
    notes = TextAreaField("需要说明的情况")
    idempotency_key = HiddenField("请求编号")


class LookupForm(FlaskForm):
    reference = StringField("预约号")
    phone_last4 = StringField("手机号后 4 位")


class RecoverForm(FlaskForm):
    id_number = StringField("身份证号")
    phone = StringField("手机号")
    date = StringField("预约日期")


class RescheduleForm(FlaskForm):
    slot = StringField("新的预约时段")


class EmptyForm(FlaskForm):
    """Just the CSRF token, for POST buttons such as cancel."""
