"""Staff accounts (hall window staff; part 2 adds department roles)."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import ChinaDateTime


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="hall", server_default="hall")
    windows: Mapped[str] = mapped_column(String(400), default="", server_default="")
    """Comma-separated window ids this person works at; empty means every window."""
    department: Mapped[str | None] = mapped_column(String(80))
    """The department a ``department`` role user works for (sees its cases and follow-ups)."""
    active: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
    """Set by ``users create`` and ``users reset-password``: the next sign-in must choose a
    new password before anything else."""
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    """Wrong passwords since the last successful sign-in (drives the lockout back-off)."""
    locked_until: Mapped[dt.datetime | None] = mapped_column(ChinaDateTime)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def window_ids(self) -> list[str]:
        return [w for w in self.windows.split(",") if w]

    def may_see(self, window_id: str) -> bool:
        return not self.window_ids() or window_id in self.window_ids()


class StaffSession(db.Model):
    """A signed-in staff session, kept server-side: signing out, deactivating the account or
    resetting its password deletes the row, and the cookie no longer opens anything."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(ChinaDateTime)
