"""The 找回 forms: they only render and carry CSRF; ``schemas`` checks them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class RecoveryForm(FlaskForm):
    id_number = StringField("身份证号")
    phone = StringField("手机号")


class CodeForm(FlaskForm):
    code = StringField("短信验证码")
