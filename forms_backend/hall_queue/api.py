"""JSON API of the queue: take a ticket, follow it, the hall's state, the counter's actions
(signed-in staff) and the public statistics. The live stream is a page route (views.events)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify, request, url_for
from flask_login import current_user

from .. import clock
from ..catalog_access import catalog
from ..cors import public
from ..errors import refuse
from ..extensions import rate_limit
from ..openapi import operation
from ..schemas import json_body, parse
from ..staff.roles import HALL, has_role
from . import actions, api_bp, live, order, policy, stats
from .models import Counter, Ticket, TicketStatus
from .schemas import (
    CallLine,
    CallView,
    EmptyRequest,
    HallState,
    QueueStats,
    StatsQuery,
    TicketRequest,
    TicketView,
    TransferRequest,
    WindowQueue,
)


def ticket_view(ticket: Ticket, ahead: int | None = None) -> TicketView:
    """The ticket as the API shows it (``ahead``: people ahead, when the caller knows)."""
    waiting = ticket.status == TicketStatus.WAITING
    if ahead is None:
        ahead = order.people_ahead(ticket) if waiting else 0
    return TicketView(
        number=ticket.label,
        window=ticket.window,
        window_name=catalog().windows[ticket.window].name,
        hall=ticket.hall,
        status=ticket.status,
        status_label=ticket.status_enum.label,
        priority=ticket.priority,
        people_ahead=ahead,
        estimated_minutes=order.estimated_minutes(ticket, ahead) if waiting else 0,
        counter=ticket.counter.number if ticket.counter else None,
        issued_at=ticket.issued_at.isoformat(),
        url=url_for("hall_queue.my_ticket", token=ticket.token, _external=True),
    )


def take(body: TicketRequest) -> tuple[Ticket, int]:
    return actions.issue_ticket(
        body.window,
        booking_reference=body.booking_reference,
        phone_last4=body.phone_last4,
        green=body.green,
        id_number=body.id_number,
    )


@api_bp.post("/tickets")
@operation(
    "取号：按窗口类别、凭今天的预约号（预约优先）或绿色通道",
    body=TicketRequest,
    responses={201: TicketView},
    errors=(404, 409),
)
@rate_limit("ticket")
def take_ticket():
    ticket, ahead = take(parse(TicketRequest, json_body()))
    return jsonify(ticket_view(ticket, ahead).model_dump()), 201


@api_bp.get("/tickets/<token>")
@operation(
    "我的号：前面还有几位、是否叫到（取号单上的网址）", responses={200: TicketView}, errors=(404,)
)
def ticket(token: str):
    found = actions.find_ticket(token)
    if found is None or found.day != clock.today():
        refuse(404, "没有找到这张号：号只在取号当天有效。请核对网址，或重新取号。")
    return jsonify(ticket_view(found).model_dump())


def hall_state(hall_id: str) -> HallState:
    hall = catalog().halls.get(hall_id)
    if hall is None:
        refuse(404, f"没有大厅“{hall_id[:80]}”。请核对网址。")
    now = clock.now()
    waiting: dict[str, list[str]] = {}
    for t in order.waiting_order(hall_id):
        waiting.setdefault(t.window, []).append(t.label)
    windows = [
        WindowQueue(
            id=w.id,
            name=w.name,
            prefix=policy.prefix_of(w),
            waiting=waiting.get(w.id, []),
            open=not policy.closed_for_today(w, now),
        )
        for w in policy.windows_of_hall(hall_id)
    ]
    calls = [
        CallLine(ticket=t.label, counter=c.number, window=t.window, at=e.at.isoformat())
        for e, t, c in actions.recent_calls(hall_id)
    ]
    return HallState(
        hall=hall_id,
        name=hall.name,
        windows=windows,
        calls=calls,
        closed=all(not w.open for w in windows),
    )


@api_bp.get("/halls/<hall_id>")
@operation(
    "大厅的排队状态：各窗口类别等待的号码（叫号顺序）和最近叫号",
    responses={200: HallState},
    errors=(404,),
)
@public
def hall(hall_id: str):
    return jsonify(hall_state(hall_id).model_dump())


def counter_for_staff(counter_id: str) -> Counter:
    """The counter, if the signed-in staff member may call there (hall staff: their windows)."""
    if not current_user.is_authenticated:
        refuse(401, "请先登录工作台再叫号。")
    if not has_role(current_user, HALL):
        refuse(403, "只有大厅窗口人员和管理员可以叫号。")
    counter = actions.counter_by_id(int(counter_id)) if counter_id.isdigit() else None
    if counter is None or not counter.active:
        refuse(404, f"没有 {counter_id[:20]} 这个柜台，或它已停用。")
    if not current_user.may_see(counter.window):
        refuse(403, f"您不在 {counter.number} 号窗口的窗口类别里，不能在这里叫号。")
    return counter


def _answer(ticket: Ticket | None, counter: Counter, message: str | None = None):
    if ticket is None:
        return jsonify(CallView(ticket=None, message=message).model_dump())
    called = ticket.status == TicketStatus.CALLED
    announcement = live.announcement(ticket.label, counter.number) if called else None
    view = CallView(ticket=ticket_view(ticket), announcement=announcement, message=message)
    return jsonify(view.model_dump())


@api_bp.get("/counters/<counter_id>")
@operation("柜台当前叫到的号（工作人员登录）", responses={200: CallView}, errors=(401, 403, 404))
def counter_state(counter_id: str):
    counter = counter_for_staff(counter_id)
    return _answer(actions.current_ticket(counter), counter)


COUNTER_ACTIONS = ("call", "recall", "skip", "finish")


@api_bp.post("/counters/<counter_id>/<action>")
@operation(
    "柜台操作：call 叫下一位、recall 重呼、skip 过号（呼叫满次数后）、finish 办结（工作人员登录）",
    body=EmptyRequest,
    responses={200: CallView},
    errors=(401, 403, 404, 409),
)
def counter_action(counter_id: str, action: str):
    if action not in COUNTER_ACTIONS:
        refuse(
            404, f"没有“{action[:20]}”这个柜台操作。可用：{'、'.join(COUNTER_ACTIONS)}、transfer。"
        )
    counter = counter_for_staff(counter_id)
    parse(EmptyRequest, json_body())
    actor = current_user.username
    if action == "call":
        ticket = actions.call_next(counter, actor)
        if ticket is None:
            return _answer(None, counter, "现在没有等待的号。")
        return _answer(ticket, counter)
    return _answer(getattr(actions, action)(counter, actor), counter)


@api_bp.post("/counters/<counter_id>/transfer")
@operation(
    "转窗口：号码和排队顺序保留，转到本大厅的另一个窗口类别（工作人员登录）",
    body=TransferRequest,
    responses={200: CallView},
    errors=(401, 403, 404, 409),
)
def counter_transfer(counter_id: str):
    counter = counter_for_staff(counter_id)
    body = parse(TransferRequest, json_body())
    return _answer(actions.transfer(counter, body.window, current_user.username), counter)


@api_bp.get("/stats")
@operation(
    "排队统计（公开）：等候时间、办理时间、过号，按窗口类别、时段、日期；日均办件量",
    query=StatsQuery,
    responses={200: QueueStats},
)
@public
def public_stats():
    """Public queue statistics, cached ``STATS_CACHE_SECONDS`` per worker like the evaluations'."""
    query = parse(
        StatsQuery,
        {k: v for k, v in request.args.items() if v != ""},
        message="查询参数有误，请按提示修改。",
    )
    today = clock.today()
    bounds = {}
    for name, value, default in (
        ("from", query.from_, today - dt.timedelta(days=29)),
        ("to", query.to, today),
    ):
        try:
            bounds[name] = dt.date.fromisoformat(value) if value else default
        except ValueError:
            refuse(
                422,
                "查询参数有误，请按提示修改。",
                {name: f"“{name}”应写作 年-月-日，例如 2026-11-25，收到的是 {value[:20]!r}。"},
            )
    if bounds["to"] < bounds["from"] or (bounds["to"] - bounds["from"]).days > 366:
        refuse(
            422,
            "统计区间应从 from 到 to，最长一年。",
            {"to": "请把 to 写成不早于 from、且一年以内的日期。"},
        )
    seconds = int(current_app.config["STATS_CACHE_SECONDS"])
    cache = current_app.extensions.setdefault("banshi_queue_stats_cache", {})
    key = (bounds["from"], bounds["to"])
    now = clock.now()
    hit = cache.get(key)
    if seconds > 0 and hit is not None and hit[0] > now:
        body = hit[1]
    else:
        figures = {
            **stats.public_stats(bounds["from"], bounds["to"]),
            "generated_at": now.isoformat(),
        }
        body = QueueStats.model_validate(figures).model_dump(by_alias=True)
        if seconds > 0:
            if len(cache) > 64:
                cache.clear()
            cache[key] = (now + dt.timedelta(seconds=seconds), body)
    response = jsonify(body)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response
