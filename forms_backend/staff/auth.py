"""Staff sign-in: argon2 password hashes, server-side sessions, per-account lockout."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app
from sqlalchemy import update

from .. import clock
from ..extensions import db, login_manager
from . import sessions
from .models import StaffUser

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password")
LONGEST_LOCK = dt.timedelta(hours=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: StaffUser | None, password: str) -> bool:
    """Constant work whether or not the user exists."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def locked_until(user: StaffUser | None) -> dt.datetime | None:
    """When the account's lockout ends, if it is locked now."""
    if user is None or user.locked_until is None or user.locked_until <= clock.now():
        return None
    return user.locked_until


def record_failure(user: StaffUser) -> None:
    """Count a wrong password; from ``LOGIN_LOCK_AFTER`` failures on, lock the account for
    ``LOGIN_LOCK_MINUTES``, doubling with each further failure up to an hour."""
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(failed_logins=StaffUser.failed_logins + 1)
    )
    db.session.refresh(user)
    over = user.failed_logins - int(current_app.config["LOGIN_LOCK_AFTER"])
    if over >= 0:
        minutes = float(current_app.config["LOGIN_LOCK_MINUTES"]) * 2 ** min(over, 12)
        user.locked_until = clock.now() + min(dt.timedelta(minutes=minutes), LONGEST_LOCK)
    db.session.commit()


def record_success(user: StaffUser) -> None:
    user.failed_logins = 0
    user.locked_until = None


def init_login(app: Flask) -> None:
    login_manager.login_view = "staff.login"
    login_manager.login_message = "请先登录工作人员账号。"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = None  # the server-side session is the protection

    @login_manager.user_loader
    def load_user(user_id: str) -> StaffUser | None:
        if not user_id.isdigit():
            return None
        user = sessions.current_user(int(user_id))
        return user if user is not None and user.active else None
