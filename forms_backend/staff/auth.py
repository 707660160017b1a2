"""Staff sign-in: Flask-Login sessions and argon2 password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask

from ..extensions import db, login_manager
from .models import StaffUser

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: StaffUser | None, password: str) -> bool:
    """Constant work whether or not the user exists."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def init_login(app: Flask) -> None:
    login_manager.login_view = "staff.login"
    login_manager.login_message = "请先登录工作人员账号。"
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(user_id: str) -> StaffUser | None:
        return db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
