"""Staff password policy: at least 12 characters and hard to guess (zxcvbn score 3 or more)."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3
"""zxcvbn's 0–4 scale: 3 is "safely unguessable" against an online attack with throttling
and a slow hash offline."""


def password_problem(password: str, username: str = "", display_name: str = "") -> str | None:
    """Why ``password`` is not acceptable for this account, as a Chinese sentence, or None."""
    if len(password) < MIN_LENGTH:
        return (
            f"密码至少要 {MIN_LENGTH} 个字符，您输入的只有 {len(password)} 个。"
            "建议用几个不相关的词加数字组成一句好记的话。"
        )
    if len(password) > 200:
        return "密码最多 200 个字符，请换一个短一些的密码。"
    hints = [value for value in (username, display_name) if value]
    if any(hint.lower() in password.lower() for hint in hints):
        return "密码不能包含用户名或姓名，请换一个别人猜不到的密码。"
    if zxcvbn(password[:100], user_inputs=hints)["score"] < MIN_SCORE:
        return (
            "这个密码太容易被猜到（例如重复的字符、键盘上连着的键、常见密码或日期）。"
            "请用几个不相关的词加数字组成一句好记但别人猜不到的话。"
        )
    return None
