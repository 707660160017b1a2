"""Writing messages: one outbox row in the caller's transaction, and nothing else.

``add`` is the one call the other features make, on the connection of their own transaction:
the message exists exactly when the change that causes it was committed. The consumer's poller
(``queue.Poller``) finds the new row within ``NOTIFY_POLL_SECONDS`` and claims it; the request
pushes nothing (a push per booking cost more than the row, see docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import Connection, insert
from sqlalchemy.dialects import postgresql, sqlite

from catalog.workdays import CHINA

from .. import clock
from ..database import Prepared
from ..extensions import the_app
from .models import MessageStatus, OutboxMessage

_TABLE = OutboxMessage.__table__
_COLUMNS = (
    "key", "event", "subject", "phone_cipher", "phone_masked", "params", "status", "attempts",
    "created_at", "next_attempt_at",
)  # fmt: skip
_INSERT = Prepared(insert(_TABLE).returning(_TABLE.c.id), _COLUMNS)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def wall_clock() -> dt.datetime:
    """Real time (delivery timing never follows the configurable ``NOW`` of the domain)."""
    return dt.datetime.now(CHINA)


def _row(event: str, subject: str, phone_cipher: str, phone_masked: str, params: dict, key):
    return {
        "key": key or f"{event}.{uuid.uuid4().hex}",
        "event": event,
        "subject": subject,
        "phone_cipher": phone_cipher,
        "phone_masked": phone_masked,
        "params": json.dumps(params, ensure_ascii=False),
        "status": MessageStatus.PENDING.value,
        "attempts": 0,
        "created_at": clock.now(),
        "next_attempt_at": wall_clock(),
    }


def add(
    connection: Connection,
    event: str,
    *,
    subject: str,
    phone_cipher: str | None,
    phone_masked: str | None,
    params: dict,
    key: str | None = None,
) -> int | None:
    """Write one message in the caller's transaction; its id, or None when there is nobody to
    send to, notifications are off, or ``key`` was used before (the message already exists)."""
    if not phone_cipher or not the_app().config["NOTIFY_ENABLED"]:
        return None
    row = _row(event, subject, phone_cipher, phone_masked or "", params, key)
    if key is None:
        (message_id,) = _INSERT.first(connection, row)
    else:  # a deterministic key (reminders): a second run of the job writes nothing
        statement = _INSERTS[connection.dialect.name](_TABLE).values(**row)
        statement = statement.on_conflict_do_nothing(index_elements=["key"]).returning(_TABLE.c.id)
        message_id = connection.execute(statement).scalar()
    return message_id


def booking_facts(reference: str, item: str, window: str, start: dt.datetime) -> dict:
    """The facts of a booking message (rendered by the worker from the catalog)."""
    return {"reference": reference, "item": item, "window": window, "start": start.isoformat()}
