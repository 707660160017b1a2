"""Staff pages for bookings under /staff/bookings/: the day list per window (paged) with its
actions (签到, 办结, 未到 and its same-day undo, 补签到; for home visits 已上门服务 and
未能上门), the assisted-service queue (我来负责, the full phone for whoever took a booking on,
audited), and the masked CSV export. Hall staff for their windows, and admins."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from .. import audit, clock
from ..catalog_access import calendar, catalog
from ..csv_export import csv_response
from ..errors import ActionError
from ..extensions import db
from ..paging import page
from ..privacy import mask_name, vault
from ..slots import KIND_LABELS, BookingKind
from ..staff.models import StaffUser
from ..staff.roles import ADMIN, HALL, roles_required
from . import staff_bp
from .actions import (
    STAFF_ACTIONS,
    VISIT_MISSED_REASONS,
    check_staff_action,
    no_show_record,
    staff_change,
)
from .forms import EmptyForm
from .models import Booking, BookingStatus, Slot

CONFIRMED = ("no-show", "visit-missed")
"""Actions asked about first on a page of their own ("确定……吗？")."""


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


def _booking_or_404(reference: str) -> Booking:
    booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
    if booking is None or not current_user.may_see(booking.window):
        abort(404)
    return booking


def _day_of(booking: Booking) -> str:
    return url_for("bookings_staff.day", window=booking.window, date=booking.day.isoformat())


@staff_bp.post("/<reference>/<action>")
@roles_required(HALL)
def change(reference: str, action: str):
    """签到, 办结, 未到 (after confirming), 撤销未到, 补签到, 已上门服务, 未能上门 (with a reason)."""
    if action not in STAFF_ACTIONS:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    booking = _booking_or_404(reference)
    if action in CONFIRMED and request.form.get("confirm") != "yes":
        return redirect(url_for("bookings_staff.confirm", reference=reference, action=action))
    try:
        done = staff_change(booking, action, current_user.username, request.form.get("reason"))
    except ActionError as error:
        flash(error.message, "error")
        if error.field == "reason":  # back to the question, to choose one
            return redirect(url_for("bookings_staff.confirm", reference=reference, action=action))
    else:
        flash(done, "success")
    return redirect(_day_of(booking))


@staff_bp.get("/<reference>/<action>")
@roles_required(HALL)
def confirm(reference: str, action: str):
    """ "确定记为未到吗？" / "未能上门的原因": what will be recorded, and the two choices."""
    if action not in CONFIRMED:
        abort(404)
    booking = _booking_or_404(reference)
    try:
        check_staff_action(booking, action)
    except ActionError as error:
        flash(error.message, "error")
        return redirect(_day_of(booking))
    return render_template(
        "bookings/staff_confirm.html",
        booking=booking,
        action=action,
        item=catalog().items.get(booking.item),
        reasons=VISIT_MISSED_REASONS,
        record=no_show_record(booking.id_hmac),
        back=_day_of(booking),
        form=EmptyForm(),
    )


def _assisted_query():
    query = (
        select(Booking)
        .join(Slot)
        .where(
            Booking.kind == BookingKind.ASSISTED.value,
            Booking.day >= clock.today(),
            Booking.status.in_((BookingStatus.BOOKED, BookingStatus.CHECKED_IN)),
        )
        .order_by(Booking.day, Booking.home_visit.desc(), Slot.start, Booking.id)
    )
    if current_user.window_ids():  # hall staff see their own windows' bookings
        query = query.where(Booking.window.in_(current_user.window_ids()))
    return query


def may_reveal_phone(booking: Booking) -> bool:
    """The staff member who took the booking on, and administrators."""
    return current_user.role == ADMIN or booking.assigned_to == current_user.username


def _display_names(usernames: set[str]) -> dict[str, str]:
    """The staff members' names as the queue shows them (王芳, not wangfang)."""
    if not usernames:
        return {}
    query = select(StaffUser.username, StaffUser.display_name).where(
        StaffUser.username.in_(usernames)
    )
    return {username: name for username, name in db.session.execute(query)}


def _assisted_page(revealed: dict[str, str] | None = None) -> str:
    keys = vault()
    bookings = page(_assisted_query())
    names = _display_names({b.assigned_to for b in bookings if b.assigned_to})
    queue = [
        {
            "booking": b,
            "address": keys.decrypt(b.address_cipher) if b.address_cipher else None,
            "may_reveal": may_reveal_phone(b),
            "assignee": names.get(b.assigned_to) or b.assigned_to,
        }
        for b in bookings
    ]
    return render_template(
        "bookings/staff_assisted.html",
        bookings=bookings,
        queue=queue,
        items=catalog().items,
        revealed=revealed or {},
        form=EmptyForm(),
    )


@staff_bp.get("/assisted")
@roles_required(HALL)
def assisted():
    """The assisted-service queue: today and later, home visits first within each day."""
    return _assisted_page()


def _assisted_or_400(reference: str) -> Booking:
    """The assisted booking a 我来负责 / 交回队列 form posted about (CSRF checked)."""
    booking = _booking_or_404(reference)
    if not EmptyForm().validate_on_submit() or booking.kind != BookingKind.ASSISTED.value:
        abort(400)
    return booking


def _reassign(booking: Booking, was: str | None, to: str | None) -> bool:
    """Change the booking's assignee from ``was`` to ``to``, only if it still is ``was``: of two
    staff members taking (or handing back) the same booking at once, exactly one succeeds."""
    still = Booking.assigned_to.is_(None) if was is None else Booking.assigned_to == was
    changed = db.session.execute(
        update(Booking)
        .where(Booking.id == booking.id, still)
        .values(assigned_to=to, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return changed.rowcount == 1


@staff_bp.post("/assisted/<reference>/take")
@roles_required(HALL)
def take(reference: str):
    """我来负责: the signed-in staff member takes on an assisted booking nobody has yet."""
    booking = _assisted_or_400(reference)
    if _reassign(booking, None, current_user.username):
        audit.record(current_user.username, "booking.assign", "booking", reference)
        flash(f"预约 {reference} 已由您负责，可以查看完整手机号联系预约人。", "success")
    else:
        db.session.refresh(booking)
        owner = _display_names({booking.assigned_to}).get(booking.assigned_to)
        flash(f"预约 {reference} 已由 {owner or booking.assigned_to} 负责。", "error")
    db.session.commit()
    return redirect(url_for("bookings_staff.assisted"))


@staff_bp.post("/assisted/<reference>/release")
@roles_required(HALL)
def release(reference: str):
    """交回: whoever took an assisted booking on (or an administrator) hands it back to the
    queue, e.g. when going off shift; the full phone is then hidden from them again."""
    booking = _assisted_or_400(reference)
    if booking.assigned_to is None:
        flash(f"预约 {reference} 现在没有负责人，不用交回。", "error")
        return redirect(url_for("bookings_staff.assisted"))
    if not may_reveal_phone(booking):
        abort(403)
    if _reassign(booking, booking.assigned_to, None):
        audit.record(current_user.username, "booking.release", "booking", reference)
        flash(f"预约 {reference} 已交回队列，其他工作人员可以点“我来负责”。", "success")
    db.session.commit()
    return redirect(url_for("bookings_staff.assisted"))


@staff_bp.post("/assisted/<reference>/phone")
@roles_required(HALL)
def phone(reference: str):
    """Show one citizen's full phone once, on purpose (a button), and audit it."""
    booking = _booking_or_404(reference)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("bookings_staff.assisted"))
    if not may_reveal_phone(booking):
        abort(403)
    audit.record(current_user.username, "booking.view_phone", "booking", reference)
    db.session.commit()
    return _assisted_page({reference: vault().decrypt(booking.phone_cipher)})


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
