"""Staff pages of the queue: the hall overview (admins: every counter), the counter page
(叫号: call next, recall, skip, transfer, finish), counters and their 评价器, statistics."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from site_gen.charts import bar_chart

from .. import clock
from ..bookings.forms import EmptyForm
from ..catalog_access import catalog
from ..errors import ActionError
from ..extensions import db
from ..staff.roles import ADMIN, HALL, roles_required
from . import actions, order, policy, staff_bp, stats
from .cli import new_counter
from .models import Counter


def _counters() -> list[Counter]:
    """Counters the signed-in user may call at (hall staff: of their windows)."""
    rows = db.session.scalars(
        select(Counter).where(Counter.active.is_(True)).order_by(Counter.hall, Counter.number)
    )
    return [c for c in rows if current_user.may_see(c.window)]


@staff_bp.get("/")
@roles_required(HALL)
def overview():
    counters = _counters()
    current = {c.id: actions.current_ticket(c) for c in counters}
    halls = sorted({c.hall for c in counters}) or sorted(catalog().halls)
    waiting = {h: order.waiting_order(h) for h in halls}
    return render_template(
        "hall_queue/staff_overview.html",
        form=EmptyForm(),
        counters=counters,
        current=current,
        waiting=waiting,
        halls=catalog().halls,
        windows=catalog().windows,
        admin=current_user.role == ADMIN,
    )


def _counter_or_404(counter_id: int) -> Counter:
    counter = db.session.get(Counter, counter_id)
    if counter is None or not counter.active:
        abort(404)
    if not current_user.may_see(counter.window):
        abort(403)
    return counter


@staff_bp.get("/counter/<int:counter_id>")
@roles_required(HALL)
def counter(counter_id: int):
    desk = _counter_or_404(counter_id)
    ticket = actions.current_ticket(desk)
    waiting = order.waiting_order(desk.hall, desk.window_ids())
    transfer_to = [
        w for w in policy.windows_of_hall(desk.hall) if not ticket or w.id != ticket.window
    ]
    return render_template(
        "hall_queue/counter.html",
        form=EmptyForm(),
        counter=desk,
        ticket=ticket,
        waiting=waiting,
        windows=catalog().windows,
        transfer_to=transfer_to,
        skip_after=int(current_app.config["QUEUE_SKIP_AFTER_CALLS"]),
        today=stats.counter_today(desk),
    )


@staff_bp.post("/counter/<int:counter_id>/<action>")
@roles_required(HALL)
def counter_action(counter_id: int, action: str):
    if action not in ("call", "recall", "skip", "finish", "transfer"):
        abort(404)
    desk = _counter_or_404(counter_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        flash("页面已过期，这次操作没有生效。请重新点一次。", "error")
        return redirect(url_for("hall_queue_staff.counter", counter_id=desk.id), 303)
    actor = current_user.username
    try:
        if action == "call":
            ticket = actions.call_next(desk, actor)
            if ticket is None:
                flash("现在没有等待的号。", "success")
            else:
                flash(
                    f"已叫 {ticket.label} 号：{actions.live.announcement(ticket.label, desk.number)}。",
                    "success",
                )
        elif action == "recall":
            ticket = actions.recall(desk, actor)
            flash(f"已重呼 {ticket.label} 号（第 {ticket.calls} 次）。", "success")
        elif action == "skip":
            ticket = actions.skip(desk, actor)
            flash(f"{ticket.label} 号已过号。", "success")
        elif action == "finish":
            ticket = actions.finish(desk, actor)
            flash(f"{ticket.label} 号已办结，评价器已请办事人评价。", "success")
        else:
            target = request.form.get("window", "")
            ticket = actions.transfer(desk, target, actor)
            flash(
                f"{ticket.label} 号已转到 {catalog().windows[target].name}，按原顺序排队。",
                "success",
            )
    except ActionError as error:
        flash(error.message, "error")
    return redirect(url_for("hall_queue_staff.counter", counter_id=desk.id), 303)


@staff_bp.route("/counters", methods=["GET", "POST"])
@roles_required(ADMIN)
def counters():
    """Admins add counters and read each counter's evaluation-device address."""
    form = EmptyForm()
    problem = None
    if request.method == "POST" and form.validate_on_submit():
        number = request.form.get("number", "").strip()
        chosen = request.form.getlist("windows")
        unknown = [w for w in chosen if w not in catalog().windows]
        halls = {catalog().windows[w].hall for w in chosen if w in catalog().windows}
        if not number.isdigit() or not 1 <= int(number) <= 999:
            problem = "柜台号应为 1 到 999 的整数，例如 3。"
        elif not chosen or unknown:
            problem = "请至少勾选一个窗口类别。"
        elif len(halls) != 1:
            problem = "一个柜台的窗口类别必须在同一个大厅。"
        elif db.session.scalar(
            select(Counter).where(Counter.hall == next(iter(halls)), Counter.number == int(number))
        ):
            problem = f"这个大厅已经有 {number} 号柜台了。"
        else:
            new_counter(halls.pop(), int(number), chosen)
            db.session.commit()
            flash(f"已新增 {number} 号柜台。", "success")
            return redirect(url_for("hall_queue_staff.counters"), 303)
    rows = db.session.scalars(select(Counter).order_by(Counter.hall, Counter.number)).all()
    return render_template(
        "hall_queue/counters.html",
        form=form,
        counters=rows,
        windows=catalog().windows,
        halls=catalog().halls,
        problem=problem,
    ), (422 if problem else 200)


@staff_bp.get("/stats")
@roles_required(HALL)
def statistics():
    today = clock.today()
    try:
        start = (
            dt.date.fromisoformat(request.args.get("from", ""))
            if request.args.get("from")
            else today - dt.timedelta(days=29)
        )
        end = dt.date.fromisoformat(request.args.get("to", "")) if request.args.get("to") else today
    except ValueError:
        flash("日期应写作 2026-11-25。已显示最近 30 天。", "error")
        start, end = today - dt.timedelta(days=29), today
    if end < start:
        start, end = end, start
    report = stats.queue_stats(start, end)
    report["windows_wait"] = {w["name"]: w["wait_minutes_mean"] or 0 for w in report["windows"]}
    report["hours_issued"] = {f"{h['hour']:02d}:00": h["issued"] for h in report["hours"]}
    report["days_finished"] = {d["day"][5:]: d["finished"] for d in report["days"]}
    return render_template(
        "hall_queue/stats.html",
        form=EmptyForm(),
        report=report,
        start=start,
        end=end,
        windows=catalog().windows,
        chart=bar_chart,
    )
