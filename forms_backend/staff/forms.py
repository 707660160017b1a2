"""Staff forms: they render the fields and carry the CSRF token; ``schemas.py`` checks them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField


class LoginForm(FlaskForm):
    username = StringField("用户名")
    password = PasswordField("密码")


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码")
    new = PasswordField("新密码")
    repeat = PasswordField("再输入一次新密码")
