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
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import make_transient_to_detached

from .. import clock
from ..database import Prepared
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


_S = StaffSession.__table__
_U = StaffUser.__table__
_LIVE = Prepared(
    select(
        _S.c.id.label("session_id"),
        _S.c.created_at.label("session_created_at"),
        _S.c.last_seen_at,
        *_U.c,
    )
    .join_from(_S, _U, _U.c.id == _S.c.user_id)
    .where(_S.c.token == bindparam("token"))
)
"""This browser's session row and its account, in one prebuilt Core statement: every staff
request signs in, and two ORM reads (session, then account) were a third of a counter call's
CPU (docs/benchmarks.md, hall queue)."""
_USER_FIELDS = tuple(c.key for c in _U.c)
_LIVE_FIELDS = ("session_id", "session_created_at", "last_seen_at", *_USER_FIELDS)


def current_user(user_id: int) -> StaffUser | None:
    """The account of this browser's live session if it is ``user_id``, else None (expired
    sessions are deleted). The account is added to the request's session as if loaded by it
    (no second query; changes to it are saved on commit as usual)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    found = _LIVE.first(db.session.connection(), {"token": token})
    if found is None:
        return None
    row = dict(zip(_LIVE_FIELDS, found, strict=True))
    if row["id"] != user_id:
        return None
    now = clock.now()
    idle = dt.timedelta(minutes=int(current_app.config["STAFF_SESSION_IDLE_MINUTES"]))
    longest = dt.timedelta(hours=float(current_app.config["STAFF_SESSION_MAX_HOURS"]))
    if now - row["last_seen_at"] > idle or now - row["session_created_at"] > longest:
        db.session.execute(delete(StaffSession).where(StaffSession.id == row["session_id"]))
        db.session.commit()
        return None
    if now - row["last_seen_at"] > TOUCH_EVERY:
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.id == row["session_id"])
            .values(last_seen_at=now)
        )
        db.session.commit()
    user = StaffUser(**{key: row[key] for key in _USER_FIELDS})
    make_transient_to_detached(user)
    db.session.add(user)
    return user
