"""What happens to tickets: issue at the kiosk, call next, recall, skip, transfer, finish.

Every change runs in one short transaction (inside ``write_lock()`` on SQLite), writes a
``queue_event`` and, for staff actions, an ``audit_entry``, and is published to the call
displays after the commit. Functions raise ``ActionError`` (HTTP status + Chinese message).
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..bookings.actions import find_booking
from ..bookings.models import Booking, BookingStatus
from ..catalog_access import catalog
from ..database import write_lock
from ..errors import ActionError
from ..extensions import db
from . import live, policy
from .models import Counter, EventKind, Priority, Ticket, TicketEvent, TicketNumber, TicketStatus


def _window(window_id: str, field: str = "window"):
    window = catalog().windows.get(window_id)
    if window is None:
        names = "、".join(f"{w.id}（{w.name}）" for w in catalog().windows.values())
        raise ActionError(422, f"没有窗口“{window_id[:80]}”。可选的窗口有：{names}。", field)
    return window


def _next_number(hall: str, day: dt.date, prefix: str) -> int:
    """Take the next number of the day for ``prefix`` (row-locked on PostgreSQL)."""
    bumped = (
        update(TicketNumber)
        .where(TicketNumber.hall == hall, TicketNumber.day == day, TicketNumber.prefix == prefix)
        .values(last=TicketNumber.last + 1)
        .returning(TicketNumber.last)
    )
    number = db.session.execute(bumped).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.add(TicketNumber(hall=hall, day=day, prefix=prefix, last=1))
            return 1
        except IntegrityError:  # another kiosk created the day's row first
            number = db.session.execute(bumped).scalar_one()
    return number


def issue_ticket(
    window_id: str | None = None,
    *,
    booking_reference: str | None = None,
    phone_last4: str | None = None,
    green: str | None = None,
    id_number: str | None = None,
) -> Ticket:
    """A new ticket: for a window type, for a booking of today (预约优先), or 绿色通道."""
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
    priority = Priority.GREEN if green_reason else Priority.NORMAL
    ticket = Ticket(
        token=secrets.token_urlsafe(16),
        hall=window.hall,
        day=now.date(),
        prefix=policy.prefix_of(window),
        window=window.id,
        first_window=window.id,
        priority=priority.value,
        green_reason=green_reason,
        status=TicketStatus.WAITING.value,
        issued_at=now,
        calls=0,
    )
    if booking:
        early = dt.timedelta(minutes=int(current_app.config["QUEUE_BOOKING_EARLY_MINUTES"]))
        ticket.booking_id = booking.id
        ticket.priority = Priority.BOOKING.value
        ticket.priority_from = booking.slot.start - early
        ticket.priority_until = booking.slot.end
    with write_lock():
        ticket.number = _next_number(ticket.hall, ticket.day, ticket.prefix)
        db.session.add(ticket)
        if booking:
            checked_in = db.session.execute(
                update(Booking)
                .where(Booking.id == booking.id, Booking.status == BookingStatus.BOOKED.value)
                .values(status=BookingStatus.CHECKED_IN.value, checked_in_at=now, updated_at=now)
            ).rowcount
            if not checked_in:
                db.session.rollback()
                raise ActionError(409, "这个预约已经签到取号了，请查看您手中的号。", "booking")
        db.session.flush()
        db.session.add(_event(ticket, EventKind.ISSUE, now))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise ActionError(409, "这个预约已经取过号了，请查看您手中的号。", "booking") from None
    live.publish_change(ticket.hall, ticket.window)
    return ticket


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


def _event(ticket: Ticket, kind: EventKind, at: dt.datetime, counter=None, actor=None, detail=None):
    return TicketEvent(
        ticket_id=ticket.id,
        hall=ticket.hall,
        kind=kind.value,
        at=at,
        counter_id=counter.id if counter else None,
        actor=actor,
        detail=detail,
    )


def call_rank(now: dt.datetime):
    """SQL expression: the ticket's place in the call order (0 is called first)."""
    order = {p: i for i, p in enumerate(policy.call_order())}
    in_slot = and_(
        Ticket.priority == Priority.BOOKING.value,
        Ticket.priority_from <= now,
        Ticket.priority_until >= now,
    )
    return case(
        (in_slot, order[Priority.BOOKING]),
        (Ticket.green_reason.is_not(None), order[Priority.GREEN]),
        else_=order[Priority.NORMAL],
    )


def current_ticket(counter: Counter) -> Ticket | None:
    return db.session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status == TicketStatus.CALLED)
    )


def call_next(counter: Counter, actor: str) -> Ticket | None:
    """Call the next waiting ticket for this counter's window types; None when nobody waits.

    One statement picks and takes the ticket: ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP
    LOCKED)`` on PostgreSQL, so concurrent counters never wait for each other nor get the same
    ticket; on SQLite the UPDATE holds the single write lock.
    """
    busy = current_ticket(counter)
    if busy is not None:
        raise ActionError(
            409,
            f"{counter.number} 号窗口还在办理 {busy.label} 号。请先点“办结”、“过号”或“转窗口”，再叫下一位。",
        )
    now = clock.now()
    candidate = (
        select(Ticket.id)
        .where(
            Ticket.hall == counter.hall,
            Ticket.day == now.date(),
            Ticket.status == TicketStatus.WAITING.value,
            Ticket.window.in_(counter.window_ids()),
        )
        .order_by(call_rank(now), Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    take = (
        update(Ticket)
        .where(Ticket.id == candidate, Ticket.status == TicketStatus.WAITING.value)
        .values(
            status=TicketStatus.CALLED.value,
            counter_id=counter.id,
            staff=actor,
            calls=1,
            called_at=func.coalesce(Ticket.called_at, now),
            last_called_at=now,
        )
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    )
    with write_lock():
        try:
            ticket_id = db.session.execute(take).scalar()
        except IntegrityError:  # the same counter pressed twice at once
            db.session.rollback()
            raise ActionError(409, f"{counter.number} 号窗口已经叫了一个号，请刷新页面。") from None
        if ticket_id is None:
            db.session.rollback()
            return None
        ticket = db.session.get(Ticket, ticket_id, populate_existing=True)
        _log(ticket, EventKind.CALL, now, counter, actor)
        db.session.commit()
    live.publish_call(ticket, counter, EventKind.CALL)
    return ticket


def _log(ticket, kind: EventKind, now, counter, actor, detail: str | None = None) -> None:
    db.session.add(_event(ticket, kind, now, counter, actor, detail))
    text = f"{counter.number} 号窗口" + (f"：{detail}" if detail else "")
    audit.record(actor, f"ticket.{kind.value}", "ticket", f"{ticket.day}/{ticket.label}", text)


def _called_here(counter: Counter) -> Ticket:
    ticket = current_ticket(counter)
    if ticket is None:
        raise ActionError(409, f"{counter.number} 号窗口现在没有正在叫的号。请先点“叫下一位”。")
    return ticket


def _change(counter: Counter, ticket: Ticket, values: dict) -> bool:
    """Conditional update: only a ticket still called at this counter changes."""
    changed = db.session.execute(
        update(Ticket)
        .where(
            Ticket.id == ticket.id,
            Ticket.status == TicketStatus.CALLED.value,
            Ticket.counter_id == counter.id,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(changed)


def _stale(counter: Counter) -> ActionError:
    return ActionError(409, f"{counter.number} 号窗口的号已经被处理过了，请刷新页面。")


def recall(counter: Counter, actor: str) -> Ticket:
    """Call the counter's current ticket again (announced again on the displays)."""
    now = clock.now()
    with write_lock():
        ticket = _called_here(counter)
        if not _change(counter, ticket, {"calls": Ticket.calls + 1, "last_called_at": now}):
            db.session.rollback()
            raise _stale(counter)
        _log(ticket, EventKind.RECALL, now, counter, actor, f"第 {ticket.calls + 1} 次呼叫")
        db.session.commit()
    db.session.refresh(ticket)
    live.publish_call(ticket, counter, EventKind.RECALL)
    return ticket


def skip(counter: Counter, actor: str) -> Ticket:
    """过号: the citizen did not come after ``QUEUE_SKIP_AFTER_CALLS`` calls."""
    needed = int(current_app.config["QUEUE_SKIP_AFTER_CALLS"])
    now = clock.now()
    with write_lock():
        ticket = _called_here(counter)
        if ticket.calls < needed:
            db.session.rollback()
            raise ActionError(
                409,
                f"{ticket.label} 号才呼叫了 {ticket.calls} 次，呼叫满 {needed} 次仍未到才能过号。"
                "请先点“重呼”。",
            )
        if not _change(counter, ticket, {"status": TicketStatus.NO_SHOW.value, "finished_at": now}):
            db.session.rollback()
            raise _stale(counter)
        _log(ticket, EventKind.SKIP, now, counter, actor)
        db.session.commit()
    db.session.refresh(ticket)
    live.publish_change(ticket.hall, ticket.window, ticket=ticket, kind=EventKind.SKIP)
    return ticket


def transfer(counter: Counter, window_id: str, actor: str) -> Ticket:
    """转窗口: the ticket waits again, for another window type, keeping its number and place."""
    target = _window(window_id)
    now = clock.now()
    with write_lock():
        ticket = _called_here(counter)
        if target.hall != ticket.hall:
            db.session.rollback()
            raise ActionError(422, f"{target.name} 不在本大厅，不能转过去。", "window")
        if target.id == ticket.window:
            db.session.rollback()
            raise ActionError(422, f"{ticket.label} 号已经在 {target.name} 排队了。", "window")
        source = ticket.window
        values = {
            "status": TicketStatus.WAITING.value,
            "window": target.id,
            "counter_id": None,
            "calls": 0,
        }
        if not _change(counter, ticket, values):
            db.session.rollback()
            raise _stale(counter)
        _log(ticket, EventKind.TRANSFER, now, counter, actor, f"转到 {target.name}")
        db.session.commit()
    db.session.refresh(ticket)
    live.publish_change(ticket.hall, source, ticket=ticket, kind=EventKind.TRANSFER)
    live.publish_change(ticket.hall, target.id)
    return ticket


def finish(counter: Counter, actor: str) -> Ticket:
    """办结: service done; the counter's evaluation device now asks for this ticket's 好差评."""
    now = clock.now()
    with write_lock():
        ticket = _called_here(counter)
        values = {"status": TicketStatus.FINISHED.value, "finished_at": now, "staff": actor}
        if not _change(counter, ticket, values):
            db.session.rollback()
            raise _stale(counter)
        if ticket.booking_id:
            db.session.execute(
                update(Booking)
                .where(Booking.id == ticket.booking_id)
                .values(status=BookingStatus.SERVED.value, updated_at=now, handled_by=actor)
            )
        _log(ticket, EventKind.FINISH, now, counter, actor)
        db.session.commit()
    db.session.refresh(ticket)
    live.publish_change(ticket.hall, ticket.window, ticket=ticket, kind=EventKind.FINISH)
    return ticket


def waiting_order(hall: str, window_ids: list[str] | None = None) -> list[Ticket]:
    """Today's waiting tickets of ``hall`` (optionally some window types) in call order."""
    now = clock.now()
    query = select(Ticket).where(
        Ticket.hall == hall, Ticket.day == now.date(), Ticket.status == TicketStatus.WAITING
    )
    if window_ids:
        query = query.where(Ticket.window.in_(window_ids))
    return list(db.session.scalars(query.order_by(call_rank(now), Ticket.id)))


WAITING_IN_MESSAGES = 100
"""How many waiting numbers a live message lists (the rest are counted)."""


def waiting_labels(hall: str, window: str, limit: int | None = None) -> list[str]:
    """The numbers waiting for ``window`` today in call order (only two columns are read)."""
    now = clock.now()
    query = (
        select(Ticket.prefix, Ticket.number)
        .where(
            Ticket.hall == hall,
            Ticket.day == now.date(),
            Ticket.status == TicketStatus.WAITING,
            Ticket.window == window,
        )
        .order_by(call_rank(now), Ticket.id)
    )
    if limit:
        query = query.limit(limit)
    return [f"{prefix}{number:03d}" for prefix, number in db.session.execute(query)]


def waiting_count(hall: str, window: str) -> int:
    return db.session.scalar(
        select(func.count(Ticket.id)).where(
            Ticket.hall == hall,
            Ticket.day == clock.today(),
            Ticket.status == TicketStatus.WAITING,
            Ticket.window == window,
        )
    )


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same window type that will be called before this one."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    now = clock.now()
    rank = call_rank(now)
    mine = db.session.scalar(select(rank).where(Ticket.id == ticket.id))
    return db.session.scalar(
        select(func.count(Ticket.id)).where(
            Ticket.hall == ticket.hall,
            Ticket.day == ticket.day,
            Ticket.status == TicketStatus.WAITING,
            Ticket.window == ticket.window,
            or_(rank < mine, and_(rank == mine, Ticket.id < ticket.id)),
        )
    )


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
        select(func.avg(_seconds(Ticket.last_called_at, Ticket.finished_at))).where(
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


def _seconds(start, end):
    """SQL: seconds between two timestamp columns, on SQLite and PostgreSQL."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


def find_ticket(token: str) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.token == token))


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
