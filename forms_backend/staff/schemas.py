"""Staff sign-in and password change: one model each (passwords are taken exactly as typed)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StrictStr

from ..schemas import RequestModel, Say

TOO_LONG = "密码最多 200 个字符。"


def _password(title: str, missing: str):
    return Annotated[
        StrictStr,
        Field(title=title, min_length=1, max_length=200),
        Say(missing=missing, too_long=TOO_LONG),
    ]


Password = _password("密码", "请填写密码。")
Current = _password("当前密码", "请填写当前密码。")
New = _password("新密码", "请填写新密码。")
Repeat = _password("再输入一次新密码", "请再输入一次新密码。")


class LoginRequest(RequestModel):
    """The sign-in form of ``/staff/login``."""

    model_config = ConfigDict(str_strip_whitespace=False)

    username: Annotated[
        StrictStr,
        Field(title="用户名", min_length=1, max_length=80),
        Say(missing="请填写用户名。", too_long="用户名最多 80 个字符。"),
    ]
    password: Password


class PasswordChange(RequestModel):
    """The form of ``/staff/password`` (the policy is checked by the view: it needs the user)."""

    model_config = ConfigDict(str_strip_whitespace=False)

    current: Current
    new: New
    repeat: Repeat
