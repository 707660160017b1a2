"""The call order in SQL, and what it answers: the waiting numbers in order, people ahead,
the wait estimate.

The statements of the hot paths (kiosk issue, call next, the live messages) are built once
per ``QUEUE_CALL_ORDER`` and run as Core statements with bound parameters: building a
SQLAlchemy statement per request cost more than running it (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from .. import clock
from ..database import Prepared
from ..extensions import db
from . import policy
from .models import Counter, Priority, Ticket, TicketStatus

_T = Ticket.__table__
WAITING_IN_MESSAGES = 100
"""How many waiting numbers a live message lists (the rest are counted)."""
NO_ID = 2**62
"""Larger than any ticket id."""


def _rank(columns, now, call_order: tuple[Priority, ...]) -> ColumnElement[int]:
    """The ticket's place in ``call_order`` at ``now`` (0 is called first)."""
    order = {p: i for i, p in enumerate(call_order)}
    in_slot = and_(
        columns.priority == Priority.BOOKING.value,
        columns.priority_from <= now,
        columns.priority_until >= now,
    )
    return case(
        (in_slot, order[Priority.BOOKING]),
        (columns.green_reason.is_not(None), order[Priority.GREEN]),
        else_=order[Priority.NORMAL],
    )


def call_rank(now: dt.datetime) -> ColumnElement[int]:
    """SQL expression (ORM queries): the ticket's place in the call order at ``now``."""
    return _rank(Ticket, now, tuple(policy.call_order()))


def rank_of(ticket: Ticket, now: dt.datetime) -> int:
    """The same rank computed in Python, for a ticket already in hand."""
    order = {p: i for i, p in enumerate(policy.call_order())}
    if (
        ticket.priority == Priority.BOOKING.value
        and ticket.priority_from is not None
        and ticket.priority_from <= now <= ticket.priority_until
    ):
        return order[Priority.BOOKING]
    if ticket.green_reason is not None:
        return order[Priority.GREEN]
    return order[Priority.NORMAL]


@dataclass(frozen=True)
class Statements:
    """The prebuilt statements of one call order (parameters are named ``q_…``)."""

    labels: Prepared
    """The first waiting numbers of a window type, in call order, each with the count."""
    counts: Prepared
    """How many wait for a window type, and how many of them are called before (rank, id)."""
    take_all: object
    """Call next over every waiting ticket of the counter's window types (the fallback)."""


PRIORITY_CLASS = tuple(literal_column(f"'{p.value}'") for p in (Priority.BOOKING, Priority.GREEN))
"""Tickets whose place depends on more than their id; the few of them are read whole, while
the ``normal`` bulk is read by id from ``ix_queue_ticket_line`` (no sort, no CASE per row)."""
HEADS = 32
"""Normal tickets per window type that call next chooses among (see ``take_statement``)."""


def _waiting_of(window) -> ColumnElement[bool]:
    return and_(
        _T.c.hall == bindparam("q_hall"),
        _T.c.day == bindparam("q_day"),
        _T.c.status == TicketStatus.WAITING.value,
        window,
    )


def _normal_head(window, limit: int, *columns):
    """The first ``limit`` normal tickets of one window type by id: an index range, in order."""
    return (
        select(_T.c.id, *columns)
        .where(_waiting_of(_T.c.window == window), _T.c.priority == Priority.NORMAL.value)
        .order_by(_T.c.id)
        .limit(limit)
        .subquery()
    )


@lru_cache(maxsize=8)
def _statements_for(call_order: tuple[Priority, ...]) -> Statements:
    now = bindparam("q_now")
    rank = _rank(_T.c, now, call_order)
    normal_rank = call_order.index(Priority.NORMAL)
    window = bindparam("q_window")
    one_window = _waiting_of(_T.c.window == window)
    priority = _T.c.priority.in_(PRIORITY_CLASS)
    head = _normal_head(window, WAITING_IN_MESSAGES, _T.c.prefix, _T.c.number)
    listed = union_all(
        select(_T.c.id, _T.c.prefix, _T.c.number, rank.label("rank")).where(one_window, priority),
        select(head.c.id, head.c.prefix, head.c.number, literal(normal_rank).label("rank")),
    ).subquery()

    def count(*conditions):
        return select(func.count()).where(one_window, *conditions).scalar_subquery()

    labels = (  # each row also carries the waiting count (computed once)
        select(listed.c.prefix, listed.c.number, count())
        .order_by(listed.c.rank, listed.c.id)
        .limit(WAITING_IN_MESSAGES)
    )
    mine = bindparam("q_rank")
    before = or_(rank < mine, and_(rank == mine, _T.c.id < bindparam("q_id")))

    counts = select(
        count(),
        count(_T.c.priority == Priority.NORMAL.value, _T.c.id < bindparam("q_normal_below")),
        count(priority, before),
    )
    return Statements(
        labels=Prepared(labels), counts=Prepared(counts), take_all=_take(_candidate(rank, None))
    )


def _candidate(rank, windows: int | None):
    """The ticket call next takes, locked (others skip it): among every waiting ticket of
    ``q_windows`` (``windows`` None), or among the priority tickets and the first ``HEADS``
    normal tickets of each of ``q_w0`` … (a few dozen rows instead of the whole queue)."""
    if windows is None:
        where = _waiting_of(_T.c.window.in_(bindparam("q_windows", expanding=True)))
    else:
        names = [bindparam(f"q_w{i}") for i in range(windows)]
        heads = [_normal_head(name, HEADS) for name in names]
        ids = union_all(
            select(_T.c.id).where(
                _waiting_of(_T.c.window.in_(names)), _T.c.priority.in_(PRIORITY_CLASS)
            ),
            *(select(h.c.id) for h in heads),
        )
        where = and_(_T.c.id.in_(ids), _T.c.status == TicketStatus.WAITING.value)
    return (
        select(_T.c.id)
        .where(where)
        .order_by(rank, _T.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def _take(candidate):
    now = bindparam("q_now")
    return (
        update(_T)
        .where(_T.c.id == candidate, _T.c.status == TicketStatus.WAITING.value)
        .values(
            status=TicketStatus.CALLED.value,
            counter_id=bindparam("q_counter"),
            staff=bindparam("q_actor"),
            calls=1,
            called_at=func.coalesce(_T.c.called_at, now),
            last_called_at=now,
        )
        .returning(*_T.c)
    )


@lru_cache(maxsize=32)
def _take_for(call_order: tuple[Priority, ...], windows: int) -> Prepared:
    return Prepared(_take(_candidate(_rank(_T.c, bindparam("q_now"), call_order), windows)))


def take_statement(windows: int) -> Prepared:
    """Call next for a counter of ``windows`` window types (parameters ``q_w0`` …): the best
    of the priority tickets and each type's first ``HEADS`` normal tickets. Exactly the call
    order unless ``HEADS`` calls of one type are in flight at once (all its heads locked);
    when it finds nothing, ``statements().take_all`` looks at the whole queue."""
    return _take_for(tuple(policy.call_order()), windows)


def statements() -> Statements:
    return _statements_for(tuple(policy.call_order()))


TICKET_COLUMNS = tuple(c.key for c in _T.c)


def ticket_from(row) -> Ticket:
    """A detached ``Ticket`` from a ``RETURNING *`` row (no ORM load, no session): a
    SQLAlchemy row, or the values of a ``Prepared`` statement's row in column order."""
    if isinstance(row, tuple) and not hasattr(row, "_mapping"):
        return Ticket(**dict(zip(TICKET_COLUMNS, row, strict=True)))
    return Ticket(**row._mapping)


def _connection(connection: Connection | None) -> Connection:
    return connection if connection is not None else db.session.connection()


def waiting_labels(hall: str, window: str, connection: Connection | None = None) -> list[str]:
    """The first ``WAITING_IN_MESSAGES`` numbers waiting for ``window`` today, in call order."""
    return waiting_now(hall, window, connection)[0]


def _counts(place: tuple, connection: Connection | None) -> tuple[int, int]:
    """(waiting for the window type, waiting before ``place`` = (hall, day, window, rank, id,
    now))."""
    hall, day, window, rank, ticket_id, now = place
    normal_rank = policy.call_order().index(Priority.NORMAL)
    params = {
        "q_hall": hall,
        "q_day": day,
        "q_window": window,
        "q_now": now,
        "q_rank": rank,
        "q_id": ticket_id,
        # normal tickets before this one: all of them, those with a smaller id, or none
        "q_normal_below": NO_ID if normal_rank < rank else ticket_id if normal_rank == rank else 0,
    }
    waiting, normal, priority = statements().counts.run(_connection(connection), params).fetchone()
    return int(waiting), int(normal) + int(priority)


def waiting_count(hall: str, window: str, connection: Connection | None = None) -> int:
    now = clock.now()
    return _counts((hall, now.date(), window, 0, 0, now), connection)[0]


def waiting_now(hall: str, window: str, connection: Connection | None = None):
    """(the first waiting numbers of ``window`` in call order, how many wait in all): one
    statement."""
    now = clock.now()
    params = {"q_hall": hall, "q_day": now.date(), "q_window": window, "q_now": now}
    rows = statements().labels.run(_connection(connection), params).fetchall()
    return [f"{prefix}{number:03d}" for prefix, number, _ in rows], rows[0][2] if rows else 0


def after_issue(ticket: Ticket, connection: Connection) -> tuple[list[str], int, int]:
    """(first waiting numbers, how many wait, people ahead) of a ticket just issued, in at most
    two queries: the ticket's place in the listed numbers, else one count of both."""
    labels, waiting = waiting_now(ticket.hall, ticket.window, connection)
    if ticket.label in labels:
        return labels, waiting, labels.index(ticket.label)
    now = clock.now()
    place = (ticket.hall, ticket.day, ticket.window, rank_of(ticket, now), ticket.id, now)
    waiting, ahead = _counts(place, connection)
    return labels, waiting, ahead


def people_ahead(ticket: Ticket, connection: Connection | None = None) -> int:
    """Waiting tickets of the same window type that will be called before this one."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    now = clock.now()
    place = (ticket.hall, ticket.day, ticket.window, rank_of(ticket, now), ticket.id, now)
    return _counts(place, connection)[1]


def waiting_order(hall: str, window_ids: list[str] | None = None) -> list[Ticket]:
    """Today's waiting tickets of ``hall`` (optionally some window types) in call order."""
    now = clock.now()
    query = select(Ticket).where(
        Ticket.hall == hall, Ticket.day == now.date(), Ticket.status == TicketStatus.WAITING
    )
    if window_ids:
        query = query.where(Ticket.window.in_(window_ids))
    return list(db.session.scalars(query.order_by(call_rank(now), Ticket.id)))


ESTIMATE_SECONDS = 30
"""The wait estimate's inputs (mean service time, counters) are re-read at most this often."""


def estimated_minutes(ticket: Ticket, ahead: int) -> int:
    """People ahead × today's mean service time ÷ counters serving the type (at least 1)."""
    minutes, counters = _estimate_inputs(ticket.hall, ticket.window)
    return int(-(-(ahead * minutes) // max(1, counters)))


def _estimate_inputs(hall: str, window: str) -> tuple[float, int]:
    """(mean service minutes today, active counters of the type), cached per worker."""
    now = clock.now()
    cache = current_app.extensions.setdefault("banshi_queue_estimates", {})
    key = (hall, window, now.date())
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    mean = db.session.scalar(
        select(func.avg(seconds_between(Ticket.last_called_at, Ticket.finished_at))).where(
            Ticket.hall == hall,
            Ticket.day == now.date(),
            Ticket.window == window,
            Ticket.status == TicketStatus.FINISHED,
        )
    )
    minutes = float(mean) / 60 if mean else float(current_app.config["QUEUE_SERVICE_MINUTES"])
    counters = sum(
        window in c.window_ids()
        for c in db.session.scalars(
            select(Counter).where(Counter.hall == hall, Counter.active.is_(True))
        )
    )
    if len(cache) > 256:
        cache.clear()
    cache[key] = (now + dt.timedelta(seconds=ESTIMATE_SECONDS), (minutes, counters))
    return minutes, counters


def seconds_between(start, end):
    """SQL: seconds between two timestamp columns, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)
