"""PIPL retention: messages older than ``NOTIFY_RETENTION_DAYS`` are deleted (and used
verification codes after a day)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import delete

from .. import clock
from ..extensions import db
from .models import MessageStatus, OutboxMessage, RecoveryCode


def purge(now: dt.datetime | None = None) -> int:
    """Delete finished messages past the retention period; returns how many."""
    now = now or clock.now()
    days = int(current_app.config["NOTIFY_RETENTION_DAYS"])
    cutoff = now - dt.timedelta(days=days)
    removed = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.created_at < cutoff,
            OutboxMessage.status.in_((MessageStatus.SENT, MessageStatus.FAILED)),
        )
    ).rowcount
    db.session.execute(
        delete(RecoveryCode).where(RecoveryCode.expires_at < now - dt.timedelta(days=1))
    )
    db.session.commit()
    return removed
