"""Deliver one message: claim it with a conditional UPDATE (one worker at a time, with a lease),
send it through the channel, record the result. Retries back off exponentially; a worker that
dies mid-delivery leaves the message ``sending`` until its lease expires, then it is retried.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..privacy import vault
from .channels import Outgoing, Permanent, channel_of
from .models import MessageStatus, OutboxMessage
from .outbox import wall_clock
from .texts import compose, label, logged_text

log = logging.getLogger(__name__)
M = OutboxMessage


def backoff(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: base × 2^(attempts − 1), capped."""
    config = current_app.config
    base = float(config["NOTIFY_RETRY_BASE_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), float(config["NOTIFY_RETRY_MAX_SECONDS"]))


def _claim(message_id: int, now: dt.datetime) -> bool:
    lease = dt.timedelta(seconds=float(current_app.config["NOTIFY_LEASE_SECONDS"]))
    claimable = or_(
        and_(M.status == MessageStatus.PENDING, M.next_attempt_at <= now),
        and_(M.status == MessageStatus.SENDING, M.lease_until < now),
    )
    claimed = db.session.execute(
        update(M)
        .where(M.id == message_id, claimable)
        .values(status=MessageStatus.SENDING, attempts=M.attempts + 1, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _finish(message_id: int, **values) -> None:
    db.session.execute(
        update(M)
        .where(M.id == message_id, M.status == MessageStatus.SENDING)
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(message_id: int) -> str:
    """Deliver one message if it is due and nobody else holds it; returns what happened."""
    if not _claim(message_id, wall_clock()):
        return "skipped"
    message = db.session.get(M, message_id)
    db.session.refresh(message)
    channel = channel_of(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        signature, code, params, text = compose(message)
        outgoing = Outgoing(
            key=message.key,
            phone=vault().decrypt(message.phone_cipher or ""),
            signature=signature,
            template_code=code,
            params=params,
            text=text,
            subject=label(message.event),
        )
        provider_id = channel.send(outgoing)
    except Permanent as error:
        _finish(message_id, status=MessageStatus.FAILED, error=str(error), channel=channel.name)
        return "failed"
    except Exception as error:  # provider down, timeout, anything: try again later
        return _retry_later(message, channel.name, f"{type(error).__name__}: {error}")
    _finish(
        message_id,
        status=MessageStatus.SENT,
        sent_at=wall_clock(),
        provider_id=str(provider_id)[:120],
        channel=channel.name,
        text=logged_text(message, text, params),
        error=None,
        phone_cipher=None,  # PIPL: the number is not kept once the message is out
        params=_scrubbed(message.params),
    )
    return "sent"


def _scrubbed(params: str) -> str:
    facts = json.loads(params)
    facts.pop("code", None)
    return json.dumps(facts, ensure_ascii=False)


def _retry_later(message: OutboxMessage, channel: str, error: str) -> str:
    from .queue import push

    attempts = message.attempts
    if attempts >= int(current_app.config["NOTIFY_MAX_ATTEMPTS"]):
        _finish(message.id, status=MessageStatus.FAILED, error=error[:500], channel=channel)
        log.error("message %s failed after %s attempts: %s", message.id, attempts, error)
        return "failed"
    delay = backoff(attempts)
    _finish(
        message.id,
        status=MessageStatus.PENDING,
        next_attempt_at=wall_clock() + dt.timedelta(seconds=delay),
        error=error[:500],
        channel=channel,
    )
    push([message.id], delay=delay)
    return "retry"


SWEEP_GRACE = dt.timedelta(seconds=30)


def sweep(startup: bool = False) -> int:
    """Queue again the messages whose queued task was lost (a push that failed, a worker killed
    mid-delivery, a restart of the in-memory queue). At start-up every unfinished message is
    queued for its due time; afterwards only those overdue by more than 30 seconds."""
    from .queue import push

    now = wall_clock()
    cutoff = now if startup else now - SWEEP_GRACE
    rows = db.session.execute(
        select(M.id, M.status, M.next_attempt_at, M.lease_until).where(
            or_(
                and_(M.status == MessageStatus.PENDING, M.next_attempt_at <= cutoff)
                if not startup
                else M.status == MessageStatus.PENDING,
                and_(M.status == MessageStatus.SENDING, M.lease_until < cutoff)
                if not startup
                else M.status == MessageStatus.SENDING,
            )
        )
    ).all()
    db.session.commit()
    for row in rows:
        due = row.lease_until if row.status == MessageStatus.SENDING else row.next_attempt_at
        wait = (due - now).total_seconds() + 0.05 if due else 0
        push([row.id], delay=wait if wait > 0 else None)
    return len(rows)


def drain(limit: int = 1000) -> dict[int, str]:
    """Deliver every message that is due now, in this thread (tests and ``flask notifications
    send-due``): the same ``deliver`` the worker runs."""
    ids = db.session.scalars(
        select(M.id)
        .where(M.status == MessageStatus.PENDING, M.next_attempt_at <= wall_clock())
        .order_by(M.id)
        .limit(limit)
    ).all()
    db.session.commit()
    return {message_id: deliver(message_id) for message_id in ids}
