"""Server-side staff sessions: a random token in the signed cookie, a row in ``staff_session``.

A session ends when the person signs out, after ``STAFF_SESSION_IDLE_MINUTES`` without a
request, ``STAFF_SESSION_MAX_HOURS`` after sign-in, or when an administrator deactivates the
account or resets its password (``end_all``). Signing in clears the old cookie and issues a
new token, so a session id known before sign-in is worth nothing after it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, session
from sqlalchemy import delete, select, update

from .. import clock
from ..extensions import db
from .models import StaffSession, StaffUser

SESSION_KEY = "staff_session"
TOUCH_EVERY = dt.timedelta(minutes=1)
"""``last_seen_at`` is written at most this often (not on every request)."""


def start(user: StaffUser) -> None:
    """A fresh cookie and a new server-side session for ``user`` (call before ``login_user``)."""
    session.clear()
    now = clock.now()
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token=token, user_id=user.id, created_at=now, last_seen_at=now))
    session[SESSION_KEY] = token
    session.permanent = False


def end() -> None:
    """Delete this browser's session row and clear its cookie."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(StaffSession).where(StaffSession.token == token))
    session.clear()


def end_all(user_id: int) -> int:
    """Delete every session of an account (deactivation, password reset); returns how many."""
    return db.session.execute(delete(StaffSession).where(StaffSession.user_id == user_id)).rowcount


def current_user_id() -> int | None:
    """The account of this browser's live session, or None (expired sessions are deleted)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = db.session.scalar(select(StaffSession).where(StaffSession.token == token))
    if row is None:
        return None
    now = clock.now()
    idle = dt.timedelta(minutes=int(current_app.config["STAFF_SESSION_IDLE_MINUTES"]))
    longest = dt.timedelta(hours=float(current_app.config["STAFF_SESSION_MAX_HOURS"]))
    if now - row.last_seen_at > idle or now - row.created_at > longest:
        db.session.execute(delete(StaffSession).where(StaffSession.id == row.id))
        db.session.commit()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        db.session.execute(
            update(StaffSession).where(StaffSession.id == row.id).values(last_seen_at=now)
        )
        db.session.commit()
    return row.user_id
