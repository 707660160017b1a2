"""Staff forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "用户名",
        validators=[
            InputRequired(message="请填写用户名。"),
            Length(max=80, message="用户名最多 80 个字符。"),
        ],
    )
    password = PasswordField(
        "密码",
        validators=[
            InputRequired(message="请填写密码。"),
            Length(max=200, message="密码最多 200 个字符。"),
        ],
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        "当前密码",
        validators=[
            InputRequired(message="请填写当前密码。"),
            Length(max=200, message="密码最多 200 个字符。"),
        ],
    )
    new = PasswordField(
        "新密码",
        validators=[
            InputRequired(message="请填写新密码。"),
            Length(max=200, message="密码最多 200 个字符。"),
        ],
    )
    repeat = PasswordField(
        "再输入一次新密码",
        validators=[
            InputRequired(message="请再输入一次新密码。"),
            Length(max=200, message="密码最多 200 个字符。"),
        ],
    )
