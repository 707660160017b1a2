"""找回我的预约和办件 (citizen pages), one journey: ID number + phone → SMS code → the person's
records; where no SMS channel is set up, ID number + full phone + the day → that booking.

The old 找回预约号 page (``/bookings/recover``) redirects here."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address

from ..bookings.actions import recover_booking
from ..bookings.forms import EmptyForm, RecoverForm
from ..bookings.schemas import RECOVER_NOT_FOUND, RecoverRequest
from ..errors import ActionError
from ..extensions import rate_limit
from ..remembered import remember
from ..schemas import validate_form
from . import bp
from .channels import sms_ready
from .forms import CodeForm, RecoveryForm
from .recovery import Person, records_of, request_code, set_reminders, verify
from .schemas import CodeRequest, RecoveryRequest

PENDING = "recovery_pending"
VERIFIED = "recovery_verified"
VERIFIED_SECONDS = 15 * 60
"""How long a verified browser may see the records and change the reminder setting."""


def _person(key: str) -> Person | None:
    found = session.get(key)
    if not found or found.get("until", 0) < time.time():
        return None
    return Person(found["id_hmac"], found["phone_hmac"], found["phone_last4"])


def _keep(key: str, person: Person, seconds: int) -> None:
    session[key] = {
        "id_hmac": person.id_hmac,
        "phone_hmac": person.phone_hmac,
        "phone_last4": person.phone_last4,
        "until": time.time() + seconds,
    }


def _start_page(status: int, **shown):
    shown.setdefault("form", RecoveryForm())
    shown.setdefault("date_form", RecoverForm())
    return render_template("notifications/start.html", sms=sms_ready(), **shown), status


@bp.route("/", methods=["GET", "POST"])
@rate_limit("recovery", post_only=True)
def start():
    if not sms_ready():  # the page offers finding a booking by its day instead
        return (
            redirect(url_for("notifications.start"))
            if request.method == "POST"
            else _start_page(200)
        )
    form = RecoveryForm()
    problem = None
    found = validate_form(form, RecoveryRequest)
    if found is not None:
        try:
            message = request_code(found.id_number, found.phone, get_remote_address())
        except ActionError as error:
            problem = error.message
        else:
            _keep(PENDING, Person.of(found.id_number, found.phone), 30 * 60)
            flash(message, "success")
            return redirect(url_for("notifications.code"))
    return _start_page(422 if request.method == "POST" else 200, form=form, problem=problem)


@bp.post("/by-date")
@rate_limit("lookup")
def by_date():
    """Without SMS: ID number, full phone and the day → that booking's page (masked)."""
    if sms_ready():
        return redirect(url_for("notifications.start"))
    form = RecoverForm()
    wanted = validate_form(form, RecoverRequest)
    not_found = None
    if wanted is not None:
        booking = recover_booking(wanted.id_number, wanted.phone, wanted.date)
        if booking is not None:
            remember("bookings", booking.reference)
            return redirect(url_for("bookings.detail", reference=booking.reference))
        not_found = RECOVER_NOT_FOUND
    return _start_page(422, date_form=form, not_found=not_found)


@bp.route("/code", methods=["GET", "POST"])
@rate_limit("recovery", post_only=True)
def code():
    person = _person(PENDING)
    if person is None:
        flash("请先填写身份证号和手机号获取验证码。", "error")
        return redirect(url_for("notifications.start"))
    form = CodeForm()
    problem = None
    found = validate_form(form, CodeRequest)
    if found is not None:
        try:
            records = verify(person, found.code)
        except ActionError as error:
            problem = error.message
        else:
            session.pop(PENDING, None)
            _keep(VERIFIED, person, VERIFIED_SECONDS)
            for booking in records.bookings:
                remember("bookings", booking["reference"])
            for submission in records.submissions:
                remember("submissions", submission["reference"])
            return redirect(url_for("notifications.mine"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/code.html", form=form, problem=problem), status


@bp.get("/records")
def mine():
    person = _person(VERIFIED)
    if person is None:
        flash("查看时间已过，请重新验证手机号。", "error")
        return redirect(url_for("notifications.start"))
    return render_template("notifications/mine.html", records=records_of(person), form=EmptyForm())


@bp.post("/reminders")
def reminders():
    person = _person(VERIFIED)
    if person is None or not EmptyForm().validate_on_submit():
        flash("查看时间已过，请重新验证手机号。", "error")
        return redirect(url_for("notifications.start"))
    wanted = request.form.get("reminders") == "on"
    set_reminders(person, wanted)
    flash(
        "已恢复预约提醒短信。"
        if wanted
        else "以后不再给这个手机号发预约提醒短信；预约成功、取消等通知照常发送。",
        "success",
    )
    return redirect(url_for("notifications.mine"))
