"""Staff pages for bookings under /staff/bookings/: the day list per window (paged), check-in /
served / no-show, the assisted-service queue and the masked CSV export (hall staff for their
windows, and admins)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from .. import audit, clock
from ..catalog_access import calendar, catalog
from ..csv_export import csv_response
from ..extensions import db
from ..notifications import outbox
from ..paging import page
from ..privacy import mask_name, vault
from ..slots import KIND_LABELS, BookingKind
from ..staff.roles import HALL, roles_required
from . import staff_bp
from .forms import EmptyForm
from .models import Booking, BookingStatus, Slot

TRANSITIONS = {
    "check-in": ((BookingStatus.BOOKED,), BookingStatus.CHECKED_IN, "已签到"),
    "served": ((BookingStatus.CHECKED_IN,), BookingStatus.SERVED, "已办理"),
    "no-show": ((BookingStatus.BOOKED,), BookingStatus.NO_SHOW, "已记为未到"),
}


def _windows() -> list:
    return [w for w in catalog().windows.values() if current_user.may_see(w.id)]


def _date_arg() -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return clock.today()


def _window_arg():
    windows = _windows()
    if not windows:
        abort(403)
    chosen = request.args.get("window")
    for window in windows:
        if window.id == chosen:
            return window
    if chosen:
        abort(403)
    return windows[0]


def _day_query(window_id: str, day: dt.date):
    return (
        select(Booking)
        .join(Slot)
        .where(Booking.window == window_id, Booking.day == day)
        .order_by(Slot.start, Booking.id)
    )


def _status_counts(window_id: str, day: dt.date) -> dict[BookingStatus, int]:
    """How many of the whole day's bookings (every page) are in each status."""
    rows = db.session.execute(
        select(Booking.status, func.count())
        .where(Booking.window == window_id, Booking.day == day)
        .group_by(Booking.status)
    )
    counted = {status: n for status, n in rows}
    return {status: counted.get(status.value, 0) for status in BookingStatus}


@staff_bp.get("/")
@roles_required(HALL)
def day():
    window = _window_arg()
    day = _date_arg()
    return render_template(
        "bookings/staff_day.html",
        window=window,
        windows=_windows(),
        day=day,
        bookings=page(_day_query(window.id, day)),
        items=catalog().items,
        kinds=KIND_LABELS,
        form=EmptyForm(),
        now=clock.now(),
        counts=_status_counts(window.id, day),
        calendar_warning=calendar().coverage_warning(clock.now().date(), for_staff=True),
    )


@staff_bp.post("/<reference>/<action>")
@roles_required(HALL)
def change(reference: str, action: str):
    if action not in TRANSITIONS:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
    if booking is None or not current_user.may_see(booking.window):
        abort(404)
    allowed, target, done = TRANSITIONS[action]
    back = url_for("bookings_staff.day", window=booking.window, date=booking.day.isoformat())
    if action == "check-in" and booking.day != clock.today():
        flash(f"预约 {reference} 是 {booking.day:%m月%d日} 的，只能在当天签到。", "error")
        return redirect(back)
    if action == "no-show" and clock.now() < booking.slot.start:
        flash(f"预约 {reference} 的时段还没开始，不能记为未到。", "error")
        return redirect(back)
    changed = db.session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status.in_(allowed))
        .values(
            status=target,
            updated_at=clock.now(),
            handled_by=current_user.username,
            **({"checked_in_at": clock.now()} if target is BookingStatus.CHECKED_IN else {}),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount == 1:  # the audit row (and the citizen's message) commit with the change
        audit.record(current_user.username, f"booking.{action}", "booking", reference)
        if target is BookingStatus.NO_SHOW:
            outbox.add(
                db.session.connection(),
                "booking_no_show",
                subject=reference,
                phone_cipher=booking.phone_cipher,
                phone_masked=booking.phone_masked,
                params=outbox.booking_facts(
                    reference, booking.item, booking.window, booking.slot.start
                ),
            )
    db.session.commit()
    if changed.rowcount == 1:
        flash(f"预约 {reference}（{booking.name}）{done}。", "success")
    else:
        flash(
            f"预约 {reference} 当前状态是“{booking.status_enum.label}”，不能{done[1:]}。", "error"
        )
    return redirect(back)


@staff_bp.get("/assisted")
@roles_required(HALL)
def assisted():
    """The assisted-service queue: today and later, home visits first within each day."""
    rows = db.session.scalars(
        select(Booking)
        .join(Slot)
        .where(
            Booking.kind == BookingKind.ASSISTED.value,
            Booking.day >= clock.today(),
            Booking.status.in_((BookingStatus.BOOKED, BookingStatus.CHECKED_IN)),
        )
        .order_by(Booking.day, Booking.home_visit.desc(), Slot.start)
    )
    keys = vault()
    queue = [
        {"booking": b, "address": keys.decrypt(b.address_cipher) if b.address_cipher else None}
        for b in rows
        if current_user.may_see(b.window)
    ]
    return render_template(
        "bookings/staff_assisted.html", queue=queue, items=catalog().items, form=EmptyForm()
    )


EXPORT_COLUMNS = [
    "预约号",
    "日期",
    "时间",
    "窗口",
    "事项",
    "类型",
    "姓名",
    "身份证号",
    "手机号",
    "状态",
    "帮办代办",
]


@staff_bp.get("/export.csv")
@roles_required(HALL)
def export():
    """The whole day list as CSV, personal data masked (Excel opens UTF-8 with the BOM)."""
    window = _window_arg()
    day = _date_arg()

    def row(b: Booking) -> list:
        item = catalog().items.get(b.item)
        flags = "、".join(
            label
            for flag, label in ((b.elderly, "老人"), (b.disabled, "残疾人"), (b.home_visit, "上门"))
            if flag
        )
        return [
            b.reference,
            b.day.isoformat(),
            b.slot.start.strftime("%H:%M"),
            window.name,
            item.name if item else b.item,
            KIND_LABELS[BookingKind(b.kind)],
            mask_name(b.name),
            b.id_masked,
            b.phone_masked,
            b.status_enum.label,
            flags,
        ]

    name = f"bookings-{window.id}-{day.isoformat()}.csv"
    rows = (row(b) for b in db.session.scalars(_day_query(window.id, day)))
    return csv_response(name, EXPORT_COLUMNS, rows)
