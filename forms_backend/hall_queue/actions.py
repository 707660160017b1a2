"""What happens to tickets: issue at the kiosk, call next, recall, skip, transfer, finish.

Every change is one short transaction of prebuilt Core statements on its own pooled
connection (inside ``write_lock()`` on SQLite; see docs/benchmarks.md for why not the ORM),
writes a ``queue_event`` and, for staff actions, an ``audit_entry``, and is published to the
call displays after the commit. Functions raise ``ActionError`` (HTTP status + Chinese message)
and return detached ``Ticket`` objects.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import Connection, bindparam, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, clock
from ..bookings.actions import find_booking
from ..bookings.models import Booking, BookingStatus
from ..catalog_access import catalog
from ..database import Prepared, checkpoint_outside_lock, write_lock
from ..errors import ActionError
from ..extensions import db
from . import live, policy
from .models import Counter, EventKind, Priority, Ticket, TicketEvent, TicketNumber, TicketStatus
from .order import after_issue, statements, take_statement, ticket_from

_T = Ticket.__table__
_N = TicketNumber.__table__
_E = TicketEvent.__table__
_EVENT_FIELDS = ("ticket_id", "hall", "kind", "at", "counter_id", "actor", "detail")
_INSERT_EVENT = Prepared(insert(_E), _EVENT_FIELDS)
_BOOKING = Booking.__table__


def _next_number_statement(dialect_insert):
    """Take the next number of the day for a prefix: one upsert (row-locked on PostgreSQL)."""
    statement = dialect_insert(_N).values(
        hall=bindparam("q_hall"), day=bindparam("q_day"), prefix=bindparam("q_prefix"), last=1
    )
    return statement.on_conflict_do_update(
        index_elements=[_N.c.hall, _N.c.day, _N.c.prefix], set_={"last": _N.c.last + 1}
    ).returning(_N.c.last)


_NEXT_NUMBER = Prepared(_next_number_statement(sqlite.insert))
_TICKET_FIELDS = (
    "token",
    "hall",
    "day",
    "prefix",
    "window",
    "first_window",
    "priority",
    "green_reason",
    "booking_id",
    "priority_from",
    "priority_until",
    "status",
    "issued_at",
    "calls",
)
"""What ``issue_ticket`` writes into a new ticket (besides its number)."""
_INSERT_TICKET = Prepared(insert(_T).returning(_T.c.id), (*_TICKET_FIELDS, "number"))


def _issue_statement():
    """PostgreSQL: the day's number, the ticket and its ISSUE event in ONE statement, so the
    number row (locked by the upsert until the commit) is held for one round trip only."""
    number = _next_number_statement(postgresql.insert).cte("n")
    values = [bindparam(f"q_{name}", type_=_T.c[name].type) for name in _TICKET_FIELDS]
    ticket = (
        insert(_T)
        .from_select([*_TICKET_FIELDS, "number"], select(*values, number.c.last))
        .returning(_T.c.id, _T.c.number)
        .cte("t")
    )
    event = _E.c
    issued = insert(_E).from_select(
        [event.ticket_id, event.hall, event.kind, event.at],
        select(
            ticket.c.id,
            bindparam("q_hall", type_=event.hall.type),
            bindparam("q_kind", type_=event.kind.type),
            bindparam("q_issued_at", type_=event.at.type),
        ),
    )
    return select(ticket.c.id, ticket.c.number).add_cte(issued.cte("e"))


_ISSUE = Prepared(_issue_statement())


def _insert_ticket(connection: Connection, fields: dict) -> tuple[int, int]:
    """Take the day's number and write the ticket and its ISSUE event; (id, number)."""
    if connection.dialect.name == "postgresql":
        params = {f"q_{name}": fields[name] for name in _TICKET_FIELDS}
        params.update(q_prefix=fields["prefix"], q_kind=EventKind.ISSUE.value)
        ticket_id, number = _ISSUE.first(connection, params)
        return ticket_id, number
    # SQLite: three statements inside the write lock (in-process, no round trips)
    (number,) = _NEXT_NUMBER.first(
        connection,
        {"q_hall": fields["hall"], "q_day": fields["day"], "q_prefix": fields["prefix"]},
    )
    (ticket_id,) = _INSERT_TICKET.first(connection, {**fields, "number": number})
    issued = _event_row(ticket_id, fields["hall"], EventKind.ISSUE, fields["issued_at"])
    _INSERT_EVENT.run(connection, issued)
    return ticket_id, number


_CHECK_IN = (
    update(_BOOKING)
    .where(_BOOKING.c.id == bindparam("q_booking"), _BOOKING.c.status == BookingStatus.BOOKED.value)
    .values(
        status=BookingStatus.CHECKED_IN.value,
        checked_in_at=bindparam("q_now"),
        updated_at=bindparam("q_now"),
    )
)
_SERVED = Prepared(
    update(_BOOKING)
    .where(_BOOKING.c.id == bindparam("q_booking"))
    .values(
        status=BookingStatus.SERVED.value,
        updated_at=bindparam("q_now"),
        handled_by=bindparam("q_actor"),
    )
)


def _window(window_id: str, field: str = "window"):
    window = catalog().windows.get(window_id)
    if window is None:
        names = "、".join(f"{w.id}（{w.name}）" for w in catalog().windows.values())
        raise ActionError(422, f"没有窗口“{window_id[:80]}”。可选的窗口有：{names}。", field)
    return window


@contextmanager
def _transaction() -> Iterator[Connection]:
    """A pooled connection for one write; the WAL checkpoint stays out of the write lock.

    The request's session hands its connection (used for the staff sign-in and the counter)
    back to the pool first, unless it holds unsaved changes: with gthread, many requests of a
    worker run at once, and two connections per request overflowed the pool (5 per worker),
    so a burst of calls opened and closed PostgreSQL connections every time. The session's
    objects stay usable (detached with what they loaded).
    """
    session = db.session()
    if not (session.new or session.dirty or session.deleted):
        session.close()
    with db.engine.connect() as connection, checkpoint_outside_lock(connection):
        yield connection


def issue_ticket(
    window_id: str | None = None,
    *,
    booking_reference: str | None = None,
    phone_last4: str | None = None,
    green: str | None = None,
    id_number: str | None = None,
) -> tuple[Ticket, int]:
    """A new ticket, and how many people wait before it: for a window type, for a booking of
    today (预约优先), or 绿色通道."""
    now = clock.now()
    booking = None
    if booking_reference:
        booking = _booking_for_today(booking_reference, phone_last4 or "", now)
        window = _window(booking.window)
    else:
        if not window_id:
            raise ActionError(422, "请选择要办理的窗口类别。", "window")
        window = _window(window_id)
    problem = None if booking else policy.issue_problem(window, now)
    if problem:
        raise ActionError(409, problem, "window")
    green_reason = None
    if green == "elderly":
        if not id_number or not policy.elderly(id_number, now.date()):
            age = current_app.config["QUEUE_GREEN_AGE"]
            raise ActionError(
                422,
                f"老年人绿色通道需要年满 {age} 周岁。请刷身份证或输入身份证号；"
                "不满足条件的请取普通号，工作人员也可以为您办理绿色通道。",
                "id_number",
            )
        green_reason = "elderly"
    elif green == "disabled":
        green_reason = "disabled"
    elif booking and (booking.elderly or booking.disabled):
        green_reason = "elderly" if booking.elderly else "disabled"
    fields = {
        "token": secrets.token_urlsafe(16),
        "hall": window.hall,
        "day": now.date(),
        "prefix": policy.prefix_of(window),
        "window": window.id,
        "first_window": window.id,
        "priority": (Priority.GREEN if green_reason else Priority.NORMAL).value,
        "green_reason": green_reason,
        "booking_id": None,
        "priority_from": None,
        "priority_until": None,
        "status": TicketStatus.WAITING.value,
        "issued_at": now,
        "calls": 0,
    }
    if booking:
        early = dt.timedelta(minutes=int(current_app.config["QUEUE_BOOKING_EARLY_MINUTES"]))
        fields.update(
            booking_id=booking.id,
            priority=Priority.BOOKING.value,
            priority_from=booking.slot.start - early,
            priority_until=booking.slot.end,
        )
    with _transaction() as connection:
        with write_lock():
            if (
                booking
                and not connection.execute(
                    _CHECK_IN, {"q_booking": booking.id, "q_now": now}
                ).rowcount
            ):
                connection.rollback()
                raise ActionError(409, "这个预约已经签到取号了，请查看您手中的号。", "booking")
            try:
                ticket_id, number = _insert_ticket(connection, fields)
            except IntegrityError:  # booking_id is unique: this booking has its ticket
                connection.rollback()
                raise ActionError(
                    409, "这个预约已经取过号了，请查看您手中的号。", "booking"
                ) from None
            connection.commit()
        ticket = Ticket(id=ticket_id, number=number, **fields)
        labels, waiting, ahead = after_issue(ticket, connection)
        live.publish_change(
            ticket.hall, ticket.window, listed=(labels, waiting), connection=connection
        )
    set_committed_value(ticket, "counter", None)
    return ticket, ahead


def _booking_for_today(reference: str, phone_last4: str, now: dt.datetime) -> Booking:
    booking = find_booking(reference, phone_last4)
    if booking is None:
        raise ActionError(
            404, "没有找到这个预约：预约号或手机号后 4 位不对。请核对预约短信后重试。", "booking"
        )
    if booking.home_visit:
        raise ActionError(
            409,
            "这是上门服务的预约，工作人员会按约定时间上门，不用到大厅取号。如有疑问请到咨询台。",
            "booking",
        )
    if booking.day != now.date():
        raise ActionError(
            409,
            f"这个预约的日期是 {booking.day:%Y 年 %-m 月 %-d 日}，不是今天。"
            "请在预约当天来取号，或取普通号。",
            "booking",
        )
    if booking.status != BookingStatus.BOOKED:
        raise ActionError(
            409,
            f"这个预约的状态是“{booking.status_enum.label}”，不能再取号。如有疑问请到咨询台。",
            "booking",
        )
    return booking


def _event_row(
    ticket_id: int,
    hall: str,
    kind: EventKind,
    at: dt.datetime,
    counter=None,
    actor=None,
    detail=None,
) -> dict:
    """The ``queue_event`` row of a change."""
    return {
        "ticket_id": ticket_id,
        "hall": hall,
        "kind": kind.value,
        "at": at,
        "counter_id": counter.id if counter else None,
        "actor": actor,
        "detail": detail,
    }


def _event(ticket: Ticket, kind: EventKind, at: dt.datetime, counter=None, actor=None, detail=None):
    """The ``queue_event`` row of a change to ``ticket``."""
    return _event_row(ticket.id, ticket.hall, kind, at, counter, actor, detail)


def current_ticket(counter: Counter) -> Ticket | None:
    return db.session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status == TicketStatus.CALLED)
    )


def _busy(counter: Counter, busy: Ticket) -> ActionError:
    return ActionError(
        409,
        f"{counter.number} 号窗口还在办理 {busy.label} 号。请先点“办结”、“过号”或“转窗口”，再叫下一位。",
    )


def call_next(counter: Counter, actor: str) -> Ticket | None:
    """Call the next waiting ticket for this counter's window types; None when nobody waits.

    One statement picks and takes the ticket: ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP
    LOCKED) RETURNING *`` on PostgreSQL, so concurrent counters never wait for each other nor
    get the same ticket; on SQLite the UPDATE holds the single write lock. A counter that still
    serves a ticket is refused by the database (one called ticket per counter, a unique index),
    so the usual call runs no query before the UPDATE. After a window type's last opening
    period its tickets are not called any more (their my-ticket page offers a booking).
    """
    now = clock.now()
    windows = catalog().windows
    serving = [
        w
        for w in counter.window_ids()
        if w in windows and not policy.closed_for_today(windows[w], now)
    ]
    if not serving:
        raise ActionError(
            409,
            f"今天的办公时间已经结束，{counter.number} 号窗口不再叫号。"
            "还在等候的群众会在“我的号”页面看到预约下一个工作日的提示。",
        )
    params = {
        "q_hall": counter.hall,
        "q_day": now.date(),
        "q_windows": serving,
        "q_now": now,
        "q_counter": counter.id,
        "q_actor": actor,
        **{f"q_w{i}": window for i, window in enumerate(serving)},
    }
    with _transaction() as connection:
        with write_lock():
            try:
                row = take_statement(len(serving)).first(connection, params)
                if row is None:  # nobody waits, or every head is taken right now
                    row = connection.execute(statements().take_all, params).first()
            except IntegrityError:  # this counter still has a called ticket
                connection.rollback()
                row = None
                busy = current_ticket(counter)
                if busy is None:  # the same counter pressed twice at once
                    raise ActionError(
                        409, f"{counter.number} 号窗口已经叫了一个号，请刷新页面。"
                    ) from None
                raise _busy(counter, busy) from None
            if row is None:
                connection.rollback()
            else:
                ticket = ticket_from(row)
                _log(connection, ticket, EventKind.CALL, now, counter, actor)
                connection.commit()
        if row is None:
            busy = current_ticket(counter)
            if busy is not None:
                raise _busy(counter, busy)
            return None
        set_committed_value(ticket, "counter", counter)
        live.publish_call(ticket, counter, EventKind.CALL, connection=connection)
    return ticket


_A = audit.AuditEntry.__table__
_AUDIT_FIELDS = ("at", "actor", "action", "subject_type", "subject_ref", "detail")


def _log_statement() -> Prepared:
    """PostgreSQL: the ``queue_event`` row and the ``audit_entry`` row in one statement (one
    round trip instead of two; the CTE's INSERT runs whether or not it is read)."""
    event = insert(_E).values(
        {name: bindparam(f"e_{name}", type_=_E.c[name].type) for name in _EVENT_FIELDS}
    )
    entry = insert(_A).values(
        {name: bindparam(f"a_{name}", type_=_A.c[name].type) for name in _AUDIT_FIELDS}
    )
    return Prepared(entry.add_cte(event.cte("e")))


_LOG = _log_statement()


def _log(connection, ticket, kind: EventKind, now, counter, actor, detail: str | None = None):
    """The event and the audit row of a counter action (in the action's transaction)."""
    event = _event(ticket, kind, now, counter, actor, detail)
    text = f"{counter.number} 号窗口" + (f"：{detail}" if detail else "")
    subject = ("ticket", f"{ticket.day}/{ticket.label}")
    if connection.dialect.name != "postgresql":
        _INSERT_EVENT.run(connection, event)
        audit.add(connection, actor, f"ticket.{kind.value}", *subject, text)
        return
    entry = audit.row(actor, f"ticket.{kind.value}", *subject, text)
    params = {f"e_{name}": value for name, value in event.items()}
    params.update({f"a_{name}": value for name, value in entry.items()})
    _LOG.run(connection, params)


def _at_counter(*conditions, **values) -> Prepared:
    """UPDATE of the ticket called at ``q_counter`` (a stale page changes nothing)."""
    return Prepared(
        update(_T)
        .where(
            _T.c.counter_id == bindparam("q_counter"),
            _T.c.status == TicketStatus.CALLED.value,
            *conditions,
        )
        .values(**values)
        .returning(*_T.c)
    )


_RECALL = _at_counter(calls=_T.c.calls + 1, last_called_at=bindparam("q_now"))
_SKIP = _at_counter(
    _T.c.calls >= bindparam("q_calls"),
    status=TicketStatus.NO_SHOW.value,
    finished_at=bindparam("q_now"),
)
_TRANSFER = _at_counter(
    _T.c.window != bindparam("q_window"),
    status=TicketStatus.WAITING.value,
    window=bindparam("q_window"),
    counter_id=None,
    calls=0,
)
_FINISH = _at_counter(
    status=TicketStatus.FINISHED.value, finished_at=bindparam("q_now"), staff=bindparam("q_actor")
)


def _act(
    counter: Counter,
    actor: str,
    statement,
    kind: EventKind,
    *,
    params: dict | None = None,
    detail: Callable[[Ticket], str | None] = lambda ticket: None,
    also: Callable[[Connection, Ticket, dt.datetime], None] | None = None,
    publish: Callable[[Connection, Ticket], None],
) -> Ticket | None:
    """One counter action on its called ticket; None when the statement matched no ticket."""
    now = clock.now()
    values = {"q_counter": counter.id, "q_now": now, "q_actor": actor, **(params or {})}
    with _transaction() as connection:
        with write_lock():
            row = statement.first(connection, values)
            if row is None:
                connection.rollback()
                return None
            ticket = ticket_from(row)
            if also is not None:
                also(connection, ticket, now)
            _log(connection, ticket, kind, now, counter, actor, detail(ticket))
            connection.commit()
        set_committed_value(ticket, "counter", counter if ticket.counter_id else None)
        publish(connection, ticket)
    return ticket


def _nothing_called(counter: Counter) -> ActionError:
    return ActionError(409, f"{counter.number} 号窗口现在没有正在叫的号。请先点“叫下一位”。")


def _publish_done(kind: EventKind):
    """Publish a ticket that left the queue's waiting part: its window's list is unchanged."""

    def publish(connection: Connection, ticket: Ticket) -> None:
        live.publish_change(
            ticket.hall,
            ticket.window,
            ticket=ticket,
            kind=kind,
            waiting=False,
            connection=connection,
        )

    return publish


def recall(counter: Counter, actor: str) -> Ticket:
    """Call the counter's current ticket again (announced again on the displays)."""
    ticket = _act(
        counter,
        actor,
        _RECALL,
        EventKind.RECALL,
        detail=lambda t: f"第 {t.calls} 次呼叫",
        publish=lambda connection, t: live.publish_call(
            t, counter, EventKind.RECALL, connection=connection
        ),
    )
    if ticket is None:
        raise _nothing_called(counter)
    return ticket


def skip(counter: Counter, actor: str) -> Ticket:
    """过号: the citizen did not come after ``QUEUE_SKIP_AFTER_CALLS`` calls."""
    needed = int(current_app.config["QUEUE_SKIP_AFTER_CALLS"])
    ticket = _act(
        counter,
        actor,
        _SKIP,
        EventKind.SKIP,
        params={"q_calls": needed},
        publish=_publish_done(EventKind.SKIP),
    )
    if ticket is None:
        called = current_ticket(counter)
        if called is None:
            raise _nothing_called(counter)
        raise ActionError(
            409,
            f"{called.label} 号才呼叫了 {called.calls} 次，呼叫满 {needed} 次仍未到才能过号。"
            "请先点“重呼”。",
        )
    return ticket


def transfer(counter: Counter, window_id: str, actor: str) -> Ticket:
    """转窗口: the ticket waits again, for another window type, keeping its number and place."""
    target = _window(window_id)
    if target.hall != counter.hall:
        raise ActionError(422, f"{target.name} 不在本大厅，不能转过去。", "window")
    ticket = _act(
        counter,
        actor,
        _TRANSFER,
        EventKind.TRANSFER,
        params={"q_window": target.id},
        detail=lambda t: f"转到 {target.name}",
        publish=lambda connection, t: live.publish_change(  # the list of the new window type
            t.hall, t.window, ticket=t, kind=EventKind.TRANSFER, connection=connection
        ),
    )
    if ticket is None:
        called = current_ticket(counter)
        if called is None:
            raise _nothing_called(counter)
        raise ActionError(422, f"{called.label} 号已经在 {target.name} 排队了。", "window")
    return ticket


def finish(counter: Counter, actor: str) -> Ticket:
    """办结: service done; the counter's evaluation device now asks for this ticket's 好差评."""

    def served(connection: Connection, ticket: Ticket, now: dt.datetime) -> None:
        if ticket.booking_id:
            _SERVED.run(
                connection, {"q_booking": ticket.booking_id, "q_now": now, "q_actor": actor}
            )

    ticket = _act(
        counter,
        actor,
        _FINISH,
        EventKind.FINISH,
        also=served,
        publish=_publish_done(EventKind.FINISH),
    )
    if ticket is None:
        raise _nothing_called(counter)
    return ticket


def find_ticket(token: str) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.token == token))


_C = Counter.__table__
_COUNTER = Prepared(select(_C).where(_C.c.id == bindparam("q_id")))
_COUNTER_FIELDS = tuple(c.key for c in _C.c)


def counter_by_id(counter_id: int) -> Counter | None:
    """The counter (a detached ``Counter``): a prebuilt statement, as every counter action
    reads it before anything else."""
    row = _COUNTER.first(db.session.connection(), {"q_id": counter_id})
    return None if row is None else Counter(**dict(zip(_COUNTER_FIELDS, row, strict=True)))


def counter_by_device(token: str) -> Counter | None:
    return db.session.scalar(
        select(Counter).where(Counter.device_token == token, Counter.active.is_(True))
    )


def recent_calls(hall: str, limit: int = 8) -> list[tuple[TicketEvent, Ticket, Counter]]:
    """The latest calls (and recalls) of today, newest first, for the call display."""
    today = clock.today()
    start = dt.datetime.combine(today, dt.time(0), tzinfo=clock.now().tzinfo)
    rows = db.session.execute(
        select(TicketEvent, Ticket, Counter)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Counter, Counter.id == TicketEvent.counter_id)
        .where(
            TicketEvent.hall == hall,
            TicketEvent.at >= start,
            or_(TicketEvent.kind == EventKind.CALL, TicketEvent.kind == EventKind.RECALL),
        )
        .order_by(TicketEvent.id.desc())
        .limit(limit * 3)
    ).all()
    seen: set[int] = set()
    latest = []
    for event, ticket, counter in rows:  # one line per ticket: its latest call
        if ticket.id not in seen:
            seen.add(ticket.id)
            latest.append((event, ticket, counter))
    return latest[:limit]


def link_evaluation(ticket: Ticket, evaluation_id: int) -> None:
    """Remember which evaluation rated this ticket (the evaluation itself is committed)."""
    db.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.evaluation_id.is_(None))
        .values(evaluation_id=evaluation_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
