"""Citizen booking pages: choose a time, confirmation, lookup, cancel, reschedule, .ics."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from ..availability import available, booking_horizon
from ..catalog_access import calendar, catalog
from ..errors import ActionError
from ..extensions import db, rate_limit
from ..privacy import vault
from ..remembered import remember, remembered
from ..schemas import validate_form
from ..slots import BookingKind, item_allows
from . import bp
from .actions import (
    cancel_booking,
    create_booking,
    find_booking,
    materials_of,
    no_show_record,
    reschedule_booking,
)
from .forms import BookingForm, EmptyForm, LookupForm, RescheduleForm
from .ics import booking_calendar
from .models import Booking, BookingStatus
from .schemas import (
    BookingRequest,
    LookupRequest,
    NewSlot,
    find_slot,
)

WEEKDAYS = "一二三四五六日"


def _own_booking(reference: str) -> Booking:
    if not remembered("bookings", reference):
        abort(redirect(url_for("bookings.lookup", reference=reference)))
    booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
    if booking is None:
        abort(404)
    return booking


def _day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]}"


def _days(item, kind: BookingKind) -> list[dict]:
    """Each day in the horizon with its free seats (0 when closed or full)."""
    days = []
    for day in booking_horizon().days():
        slots = available(item, kind, day)
        days.append(
            {
                "date": day,
                "label": _day_label(day),
                "open": bool(slots),
                "free": sum(slot.remaining for slot in slots),
            }
        )
    return days


def _chosen_day(days: list[dict], raw: str | None) -> dt.date | None:
    try:
        wanted = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        wanted = None
    if wanted and any(d["date"] == wanted for d in days):
        return wanted
    return next((d["date"] for d in days if d["free"]), None)


@bp.route("/new", methods=["GET", "POST"])
@rate_limit("booking", post_only=True)
def new():
    item_id = request.values.get("item", "")
    kind_value = request.values.get("kind", BookingKind.APPOINTMENT.value)
    item = catalog().items.get(item_id)
    if item is None or not item.published:
        bookable = [
            i for i in catalog().published_items() if any(item_allows(i, k) for k in BookingKind)
        ]
        status = 404 if item_id else 200
        return render_template("bookings/choose.html", items=bookable, unknown=item_id), status
    try:
        kind = BookingKind(kind_value)
    except ValueError:
        kind = BookingKind.APPOINTMENT
    kinds = [k for k in BookingKind if item_allows(item, k)]
    if kind not in kinds:
        return render_template("bookings/not_offered.html", item=item, kind=kind, kinds=kinds), 404

    form = BookingForm(data={"item": item.id, "kind": kind.value})
    # One key per filled-in form: a resubmission after a lost answer finds the stored booking.
    form.idempotency_key.data = form.idempotency_key.data or secrets.token_urlsafe(24)
    problem = None
    context: dict = {}
    valid = validate_form(form, BookingRequest, context)
    if valid is not None:
        try:
            booking = create_booking(valid.applicant)
        except ActionError as error:
            problem = error.message
            if error.field == "slot":
                form.slot.errors = [error.message]
        else:
            remember("bookings", booking.reference)
            flash(
                "预约成功。请记下预约号；工作人员会在上门前电话联系您，请保持电话畅通。"
                if booking.home_visit
                else "预约成功。请记下预约号，办理当天凭预约号到窗口签到。",
                "success",
            )
            return redirect(url_for("bookings.detail", reference=booking.reference))
    days = _days(item, kind)
    chosen = context["slot"].day if "slot" in context else None
    day = chosen or _chosen_day(days, request.args.get("date"))
    slots = available(item, kind, day) if day else []
    status = 422 if request.method == "POST" else 200
    return render_template(
        "bookings/new.html",
        form=form,
        item=item,
        kind=kind,
        kinds=kinds,
        window=catalog().window_of(item),
        days=days,
        day=day,
        slots=slots,
        problem=problem,
        horizon_note=booking_horizon().explanation,
    ), status


@bp.get("/<reference>")
def detail(reference: str):
    booking = _own_booking(reference)
    return render_template(
        "bookings/detail.html",
        booking=booking,
        item=catalog().items.get(booking.item),
        window=catalog().windows.get(booking.window),
        hall=_hall_of(booking),
        kind=BookingKind(booking.kind),
        materials=materials_of(booking),
        changeable=booking.status == BookingStatus.BOOKED,
        record=no_show_record(booking.id_hmac),
        # the citizen's own address, shown only to the session that made or found the booking
        visit_address=vault().decrypt(booking.address_cipher)
        if booking.home_visit and booking.address_cipher
        else None,
    )


def _hall_of(booking: Booking):
    window = catalog().windows.get(booking.window)
    return catalog().halls.get(window.hall) if window else None


@bp.get("/<reference>/booking.ics")
def ics(reference: str):
    booking = _own_booking(reference)
    return Response(
        booking_calendar(booking, catalog()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="banshi-{booking.reference}.ics"'},
    )


@bp.route("/lookup", methods=["GET", "POST"])
@rate_limit("lookup", post_only=True)
def lookup():
    form = LookupForm(data={"reference": request.args.get("reference", "")})
    not_found = False
    found = validate_form(form, LookupRequest)
    if found is not None:
        booking = find_booking(found.reference, found.phone_last4)
        if booking is not None:
            remember("bookings", booking.reference)
            return redirect(url_for("bookings.detail", reference=booking.reference))
        not_found = True
    status = 422 if request.method == "POST" else 200
    return render_template("bookings/lookup.html", form=form, not_found=not_found), status


@bp.route("/recover", methods=["GET", "POST"])
def recover():
    """找回预约号 is part of 找回我的预约和办件 now: old links and forms land there."""
    if request.method == "POST":
        return redirect(url_for("notifications.by_date"), 308)
    return redirect(url_for("notifications.start"), 301)


@bp.post("/<reference>/cancel")
@rate_limit("cancel", post_only=True)
def cancel(reference: str):
    """Cancel after the citizen confirmed on the page ``confirm_cancel`` shows."""
    booking = _own_booking(reference)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":  # the old one-click button, or a stale page
        return redirect(url_for("bookings.confirm_cancel", reference=reference))
    try:
        cancel_booking(booking)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash("预约已取消，名额已释放。", "success")
    return redirect(url_for("bookings.detail", reference=reference))


@bp.get("/<reference>/cancel")
def confirm_cancel(reference: str):
    """ "确定要取消吗？": what will be cancelled, and the two choices."""
    booking = _own_booking(reference)
    if booking.status != BookingStatus.BOOKED:
        flash(f"这个预约的状态是“{booking.status_enum.label}”，不能取消。", "error")
        return redirect(url_for("bookings.detail", reference=reference))
    item = catalog().items.get(booking.item)
    return render_template("bookings/cancel.html", booking=booking, item=item, form=EmptyForm())


@bp.route("/<reference>/reschedule", methods=["GET", "POST"])
@rate_limit("cancel", post_only=True)
def reschedule(reference: str):
    booking = _own_booking(reference)
    item = catalog().items.get(booking.item)
    kind = BookingKind(booking.kind)
    if item is None or booking.status != BookingStatus.BOOKED:
        flash(f"这个预约的状态是“{booking.status_enum.label}”，不能改约。", "error")
        return redirect(url_for("bookings.detail", reference=reference))
    form = RescheduleForm()
    problem = None
    chosen = None
    wanted = validate_form(form, NewSlot)
    if wanted is not None:
        try:
            spec = find_slot(item, kind, wanted.slot)
            chosen = spec.day
            reschedule_booking(booking, spec)
        except ActionError as error:
            if error.field == "slot" and error.status == 422:
                form.slot.errors = [error.message]
            else:
                problem = error.message
        else:
            flash("改约成功，原时段已释放。", "success")
            return redirect(url_for("bookings.detail", reference=reference))
    days = _days(item, kind)
    day = chosen or _chosen_day(days, request.args.get("date"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "bookings/reschedule.html",
        booking=booking,
        item=item,
        form=form,
        days=days,
        day=day,
        slots=available(item, kind, day) if day else [],
        problem=problem,
    ), status


@bp.app_template_filter("slot_time")
def slot_time(value: dt.datetime) -> str:
    return f"{value.year}年{_day_label(value.date())} {value:%H:%M}"


@bp.app_context_processor
def _helpers() -> dict:
    return {"working_day": lambda day: calendar().is_working_day(day)}
