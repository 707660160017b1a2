"""The 找回 forms (pages) and the one check both the pages and the JSON API use."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from .. import clock
from ..privacy import id_number_problem, normalise_id_number, normalise_phone, phone_problem

CODE_SHAPE = "验证码是短信里的 6 位数字。请对照短信填写。"


def id_number_error(value: str) -> str | None:
    return id_number_problem(value, clock.today())


def code_error(value: str) -> str | None:
    return None if re.fullmatch(r"\d{6}", value) else CODE_SHAPE


def _check(problem):
    def validate(_form, field) -> None:
        message = problem(field.data or "")
        if message:
            raise ValidationError(message)

    return validate


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RecoveryForm(FlaskForm):
    id_number = StringField(
        "身份证号",
        filters=[_strip, lambda v: normalise_id_number(v) if v else v],
        validators=[InputRequired("请填写身份证号。"), _check(id_number_error)],
    )
    phone = StringField(
        "手机号",
        filters=[_strip, lambda v: normalise_phone(v) if v else v],
        validators=[InputRequired("请填写手机号。"), _check(phone_problem)],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "短信验证码",
        filters=[_strip],
        validators=[InputRequired("请填写短信里的 6 位验证码。"), _check(code_error)],
    )
