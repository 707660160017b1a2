"""Citizen-facing queue pages: kiosk (自助取号机), printed ticket, my ticket, call display
(叫号大屏) and the counter's evaluation device (评价器). They work without JavaScript; with
it they update live through Server-Sent Events."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from .. import clock
from ..catalog_access import catalog
from ..errors import ActionError
from ..evaluations.actions import create_evaluation
from ..evaluations.forms import DIMENSION_FIELDS, EvaluationForm, evaluation_input
from ..evaluations.rules import DIMENSIONS, LEVELS, NEGATIVE_LABELS
from ..evaluations.schemas import EvaluationRequest
from ..extensions import db, rate_limit
from ..schemas import check, validate_form
from . import actions, bp, live, policy
from .api import hall_state, take, ticket_view
from .models import Ticket, TicketStatus
from .schemas import TicketRequest


def _hall_or_404(hall_id: str):
    hall = catalog().halls.get(hall_id)
    if hall is None:
        abort(404)
    return hall


@bp.get("/")
def index():
    return render_template("hall_queue/index.html", halls=list(catalog().halls.values()))


def _kiosk_windows(hall_id: str) -> list[dict]:
    now = clock.now()
    state = {w.id: w for w in hall_state(hall_id).windows}
    return [
        {
            "window": w,
            "prefix": policy.prefix_of(w),
            "waiting": len(state[w.id].waiting),
            "problem": policy.issue_problem(w, now),
        }
        for w in policy.windows_of_hall(hall_id)
    ]


@bp.route("/<hall_id>/kiosk", methods=["GET", "POST"])
@rate_limit("ticket", post_only=True)
def kiosk(hall_id: str):
    hall = _hall_or_404(hall_id)
    form = FlaskForm()  # CSRF only: the fields are checked by TicketRequest, as in the API
    errors: dict[str, str] = {}
    typed = {k: request.form.get(k, "") for k in ("booking_reference", "phone_last4", "id_number")}
    mode = request.values.get("mode", "")
    if request.method == "POST" and form.validate_on_submit():
        fields = {
            k: request.form[k]
            for k in ("window", "booking_reference", "phone_last4", "green", "id_number")
            if request.form.get(k)
        }
        body, errors = check(TicketRequest, fields)
        ticket = None
        if body is not None:
            try:
                ticket, _ahead = take(body)
            except ActionError as error:
                errors = {error.field or "window": error.message}
        if ticket is not None:
            wanted = catalog().windows[ticket.window]
            if wanted.hall != hall_id:  # a booking for the other hall: the ticket stands
                errors = {
                    "booking_reference": f"这个预约在 {catalog().halls[wanted.hall].name} 办理，"
                    f"号码是 {ticket.label}，请到那里等候叫号。"
                }
            if not errors:
                return redirect(
                    url_for("hall_queue.print_ticket", token=ticket.token, print=1), 303
                )
    elif request.method == "POST":
        errors = {"form": "页面已过期，这次没有取号。请重新点一次。"}
    return render_template(
        "hall_queue/kiosk.html",
        hall=hall,
        windows=_kiosk_windows(hall_id),
        form=form,
        errors=errors,
        typed=typed,
        mode=mode,
        green_age=current_app.config["QUEUE_GREEN_AGE"],
    ), (422 if errors else 200)


def _ticket_or_404(token: str) -> Ticket:
    ticket = actions.find_ticket(token)
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/ticket/<token>/print")
def print_ticket(token: str):
    ticket = _ticket_or_404(token)
    view = ticket_view(ticket)
    return render_template(
        "hall_queue/print.html",
        ticket=ticket,
        view=view,
        hall=catalog().halls[ticket.hall],
        width=request.args.get("width", "80")
        if request.args.get("width") in ("58", "80")
        else "80",
    )


@bp.get("/ticket/<token>")
def my_ticket(token: str):
    ticket = _ticket_or_404(token)
    window = catalog().windows[ticket.window]
    now = clock.now()
    expired = ticket.day != now.date() or (
        ticket.status == TicketStatus.WAITING and policy.closed_for_today(window, now)
    )
    rebook = None
    if expired and ticket.status == TicketStatus.WAITING:
        rebook = {
            "day": policy.next_working_day(window, ticket.day),
            "items": [i for i in catalog().items_of_window(window.id) if i.published][:12],
        }
    return render_template(
        "hall_queue/my_ticket.html",
        ticket=ticket,
        view=ticket_view(ticket),
        window=window,
        expired=expired,
        rebook=rebook,
        poll_seconds=current_app.config["QUEUE_POLL_SECONDS"],
    )


@bp.get("/<hall_id>/display")
def display(hall_id: str):
    hall = _hall_or_404(hall_id)
    return render_template(
        "hall_queue/display.html",
        hall=hall,
        state=hall_state(hall_id),
        poll_seconds=current_app.config["QUEUE_POLL_SECONDS"],
    )


def _ticket_to_rate(counter) -> Ticket | None:
    """The counter's latest finished ticket, still unrated and finished recently."""
    minutes = int(current_app.config["QUEUE_EVALUATION_MINUTES"])
    since = clock.now() - dt.timedelta(minutes=minutes)
    from sqlalchemy import select

    return db.session.scalar(
        select(Ticket)
        .where(
            Ticket.counter_id == counter.id,
            Ticket.day >= since.date(),  # tickets are served on their day (the index's range)
            Ticket.status == TicketStatus.FINISHED,
            Ticket.finished_at >= since,
        )
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
        .limit(1)
    )


@bp.route("/device/<token>", methods=["GET", "POST"])
@rate_limit("evaluation", post_only=True)
def device(token: str):
    counter = actions.counter_by_device(token)
    if counter is None:
        abort(404)
    ticket = _ticket_to_rate(counter)
    if ticket is not None and ticket.evaluation_id is not None:
        ticket = None  # 一次一评: already rated
    form = None
    problem = None
    thanks = request.args.get("thanks") == "1"
    if ticket is not None:
        data = MultiDict(request.form) if request.method == "POST" else MultiDict()
        # What identifies the visit comes from the ticket, never from the device's request.
        for key in ("channel", "window", "ticket", "item", "contact_phone"):
            data.poplist(key)
        data.add("channel", "onsite")
        data.add("window", ticket.window)
        data.add("ticket", ticket.label)
        form = EvaluationForm(formdata=data if request.method == "POST" else None)
        valid = None
        if request.method == "POST":
            valid = validate_form(
                form, EvaluationRequest, data=evaluation_input(data), names=DIMENSION_FIELDS
            )
        if valid is not None:
            try:
                evaluation = create_evaluation(valid)
            except ActionError as error:
                problem = error.message
            else:
                actions.link_evaluation(ticket, evaluation.id)
                return redirect(url_for("hall_queue.device", token=token, thanks=1), 303)
    elif request.method == "POST":
        problem = "这次办理已经评价过了，或评价时间已过。感谢您的评价！"
    return render_template(
        "hall_queue/device.html",
        counter=counter,
        ticket=ticket,
        form=form,
        problem=problem,
        thanks=thanks and ticket is None,
        levels=LEVELS,
        labels=NEGATIVE_LABELS,
        dimensions=DIMENSIONS,
        window=catalog().windows[counter.window],
        poll_seconds=current_app.config["QUEUE_POLL_SECONDS"],
    ), (422 if form is not None and form.errors else 200)


@bp.get("/<hall_id>/events")
def events(hall_id: str):
    """Server-Sent Events of one hall (calls, queue changes): displays, phones, 评价器."""
    _hall_or_404(hall_id)
    db.session.remove()  # hold no database connection while streaming
    return Response(
        live.stream(hall_id),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
