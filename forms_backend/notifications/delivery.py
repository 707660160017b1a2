"""Deliver messages: the poller claims due ones with a conditional UPDATE (one worker at a
time, with a lease), a delivery thread sends each through the channel and records the result.
Retries back off exponentially (``next_attempt_at``, found again by the poller); a worker that
dies mid-delivery leaves the message ``sending`` until its lease expires, then it is claimed
again. The poller is the one way a message reaches a delivery thread.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import Connection, Row, and_, bindparam, or_, select, update

from ..database import write_lock
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


_T = M.__table__
_DUE = or_(
    and_(_T.c.status == MessageStatus.PENDING, _T.c.next_attempt_at <= bindparam("now")),
    and_(_T.c.status == MessageStatus.SENDING, _T.c.lease_until < bindparam("now")),
)
"""Pending and due, or held by a worker whose lease expired (it died mid-delivery)."""
_ANY_DUE = select(_T.c.id).where(_DUE).limit(1)
_CLAIM_DUE = (
    update(_T)
    .where(
        _T.c.id.in_(
            select(_T.c.id)
            .where(_DUE)
            .order_by(_T.c.id)
            .limit(bindparam("limit"))
            .with_for_update(skip_locked=True)  # PostgreSQL: pollers take different rows
        ),
        _DUE,  # checked again on the row itself (another poller may have just claimed it)
    )
    .values(
        status=MessageStatus.SENDING, attempts=_T.c.attempts + 1, lease_until=bindparam("lease")
    )
    .returning(_T.c.id, _T.c.key, _T.c.event, _T.c.phone_cipher, _T.c.params, _T.c.attempts)
)


def _finish(connection: Connection, message_id: int, **values) -> None:
    with write_lock():
        connection.execute(
            update(_T)
            .where(_T.c.id == message_id, _T.c.status == MessageStatus.SENDING)
            .values(lease_until=None, **values)
        )
        connection.commit()


def claim_due(limit: int = 50) -> list[dict]:
    """Claim up to ``limit`` due messages at once (the poller's step); a cheap read first, so
    an idle poll never takes the write lock."""
    now = wall_clock()
    lease = now + dt.timedelta(seconds=float(current_app.config["NOTIFY_LEASE_SECONDS"]))
    with db.engine.connect() as connection:
        if connection.execute(_ANY_DUE, {"now": now}).first() is None:
            return []
        connection.rollback()
        with write_lock():
            rows = (
                connection.execute(_CLAIM_DUE, {"now": now, "lease": lease, "limit": limit})
                .mappings()
                .all()
            )
            connection.commit()
    return [dict(row) for row in rows]


def send_claimed(message: dict) -> str:
    """Send a message ``claim_due`` claimed for this worker and record the outcome."""
    with db.engine.connect() as connection:
        return _send(connection, SimpleNamespace(**message))


def _send(connection: Connection, message: Row | SimpleNamespace) -> str:
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
        _finish(
            connection,
            message.id,
            status=MessageStatus.FAILED,
            error=str(error),
            channel=channel.name,
        )
        return "failed"
    except Exception as error:  # provider down, timeout, anything: try again later
        return _retry_later(connection, message, channel.name, f"{type(error).__name__}: {error}")
    _finish(
        connection,
        message.id,
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


def _retry_later(
    connection: Connection, message: Row | SimpleNamespace, channel: str, error: str
) -> str:
    attempts = message.attempts
    if attempts >= int(current_app.config["NOTIFY_MAX_ATTEMPTS"]):
        _finish(
            connection, message.id, status=MessageStatus.FAILED, error=error[:500], channel=channel
        )
        log.error("message %s failed after %s attempts: %s", message.id, attempts, error)
        return "failed"
    delay = backoff(attempts)
    _finish(
        connection,
        message.id,
        status=MessageStatus.PENDING,
        next_attempt_at=wall_clock() + dt.timedelta(seconds=delay),
        error=error[:500],
        channel=channel,
    )
    return "retry"  # the poller claims it again when it is due


def drain(limit: int = 1000) -> dict[int, str]:
    """Deliver every message that is due now, in this thread (tests and ``flask notifications
    send-due``): the poller's claim and the delivery threads' send, one after the other."""
    return {message["id"]: send_claimed(message) for message in claim_due(limit)}
