"""WTForms classes built per form: one catalog field type → one field and its validators.

Field names are the catalog keys with an ``f-`` prefix (so a key can never shadow a form
attribute such as ``data``); the JSON API uses the bare keys.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from catalog import FieldType, FormField

from .. import clock
from ..privacy import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from ..references import is_reference, normalise_reference
from .formspec import FormSpec

PREFIX = "f-"
TEXT_MAX = 200
TEXTAREA_MAX = 2000
NUMBER_LIMIT = Decimal("1e12")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def field_name(key: str) -> str:
    return PREFIX + key


class IdNumber:
    """GB 11643 居民身份证号 with its check digit (same rule as bookings)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        problem = id_number_problem(field.data, clock.today())
        if problem:
            raise ValidationError(problem)
        field.data = normalise_id_number(field.data)


class Mobile:
    def __call__(self, form, field) -> None:
        if not field.data:
            return
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem)
        field.data = normalise_phone(field.data)


class IsoDate:
    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            day = dt.date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(
                f"“{self.label}”应是日期，写作 年-月-日，例如 2026-12-01。请重新填写。"
            ) from None
        if not 1900 <= day.year <= 2100:
            raise ValidationError(f"“{self.label}”的年份不合理。请填写 1900 到 2100 年之间的日期。")
        field.data = day.isoformat()


class Number:
    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        text = field.data.replace(",", "").replace("，", "")
        try:
            value = Decimal(text) if _NUMBER.match(text) else None
        except InvalidOperation:
            value = None
        if value is None:
            raise ValidationError(
                f"“{self.label}”应填写数字（可带小数点），例如 120 或 35.5。请不要填写单位或汉字。"
            )
        if abs(value) >= NUMBER_LIMIT:
            raise ValidationError(f"“{self.label}”的数值太大了。请核对后重新填写。")
        field.data = text


def make_field(spec: FormField):
    """The WTForms field for one catalog field."""
    label = spec.label
    shown = f"{label} *" if spec.required else label
    if spec.required:
        verb = "选择" if spec.type is FieldType.CHOICE else "填写"
        presence = [InputRequired(message=f"请{verb}“{label}”。")]
    else:
        presence = [Optional()]
    kwargs = {"filters": [_strip], "description": spec.help or ""}
    if spec.type is FieldType.CHOICE:
        choices = list(spec.choices or [])
        return RadioField(
            shown,
            choices=choices,
            validate_choice=False,
            validators=[
                *presence,
                AnyOf(
                    choices, message=f"“{label}”只能选 {'、'.join(choices)} 中的一项。请重新选择。"
                ),
            ],
            **kwargs,
        )
    if spec.type is FieldType.TEXTAREA:
        limit = spec.max_length or TEXTAREA_MAX
        return TextAreaField(
            shown,
            validators=[
                *presence,
                Length(max=limit, message=f"“{label}”最多 {limit} 个字。请精简后重新填写。"),
            ],
            **kwargs,
        )
    extra = {
        FieldType.ID_NUMBER: [IdNumber()],
        FieldType.PHONE: [Mobile()],
        FieldType.DATE: [IsoDate(label)],
        FieldType.NUMBER: [Number(label)],
    }.get(spec.type, [])
    limit = spec.max_length or TEXT_MAX
    return StringField(
        shown,
        validators=[
            *presence,
            Length(max=limit, message=f"“{label}”最多 {limit} 个字。请精简后重新填写。"),
            Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$", message=f"“{label}”含有不允许的控制字符。"),
            *extra,
        ],
        **kwargs,
    )


def apply_form_class(spec: FormSpec) -> type[FlaskForm]:
    """A FlaskForm subclass with one field per catalog field, plus the idempotency key."""
    attrs: dict[str, object] = {
        "idempotency_key": HiddenField(
            "提交编号",
            validators=[
                Optional(),
                Regexp(
                    r"^[A-Za-z0-9_-]{8,80}$", message="提交编号格式不对。请刷新页面后重新提交。"
                ),
            ],
        )
    }
    for form_field in spec.fields:
        attrs[field_name(form_field.key)] = make_field(form_field)
    return type("ApplyForm", (FlaskForm,), attrs)


def field_errors(form, spec: FormSpec) -> dict[str, str]:
    """Field key → first message (keys without the ``f-`` prefix)."""
    errors: dict[str, str] = {}
    for name, messages in form.errors.items():
        if messages:
            key = name[len(PREFIX) :] if name.startswith(PREFIX) else name
            errors[key] = messages[0]
    return errors


def field_values(form, spec: FormSpec) -> dict[str, str]:
    """Field key → cleaned value, for filled-in fields."""
    values = {}
    for form_field in spec.fields:
        value = form[field_name(form_field.key)].data
        if value not in (None, ""):
            values[form_field.key] = value
    return values


class StatusLookupForm(FlaskForm):
    reference = StringField(
        "申报编号",
        filters=[lambda v: normalise_reference(v) if isinstance(v, str) else v],
        validators=[InputRequired(message="请填写申报编号。")],
    )
    phone_last4 = StringField(
        "手机号后 4 位",
        filters=[_strip],
        validators=[
            InputRequired(message="请填写手机号后 4 位。"),
            Regexp(r"^\d{4}$", message="请填写申报时所留手机号的最后 4 位数字。"),
        ],
    )

    def validate_reference(self, field) -> None:
        if not is_reference(field.data):
            raise ValidationError(
                "申报编号是 8 位字母和数字（不含 0、1、I、L、O），例如 7KQ2M9XA。请对照申报成功页面重新填写。"
            )


class CorrectionForm(FlaskForm):
    note = TextAreaField(
        "补正说明",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=500, message="补正说明最多 500 个字。请精简后重新填写。"),
        ],
    )
