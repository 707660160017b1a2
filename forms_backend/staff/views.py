"""Staff pages: sign in, the day list per window, check-in / served / no-show, the assisted
service queue and the masked CSV export. Every page needs a signed-in staff account."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select, update

from .. import audit, clock
from ..bookings.forms import EmptyForm
from ..bookings.models import Booking, BookingStatus, Slot
from ..catalog_access import calendar, catalog
from ..csv_export import csv_response
from ..extensions import db, limiter
from ..notifications import outbox
from ..privacy import mask_name, vault
from ..schemas import validate_form
from ..slots import KIND_LABELS, BookingKind
from . import bp, sessions
from .auth import check_password, hash_password, locked_until, record_failure, record_success
from .forms import LoginForm, PasswordForm
from .models import StaffUser
from .passwords import password_problem
from .roles import DEPARTMENT, HALL, roles_required
from .schemas import LoginRequest, PasswordChange

TRANSITIONS = {
    "check-in": ((BookingStatus.BOOKED,), BookingStatus.CHECKED_IN, "已签到"),
    "served": ((BookingStatus.CHECKED_IN,), BookingStatus.SERVED, "已办理"),
    "no-show": ((BookingStatus.BOOKED,), BookingStatus.NO_SHOW, "已记为未到"),
}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATE_LIMIT_LOGIN"], exempt_when=lambda: request.method != "POST"
)
def login():
    form = LoginForm()
    failed = False
    locked = None
    signing_in = validate_form(form, LoginRequest)
    if signing_in is not None:
        user = db.session.scalar(select(StaffUser).where(StaffUser.username == signing_in.username))
        locked = locked_until(user)
        if locked is None and check_password(user, signing_in.password) and user.is_active:
            record_success(user)
            sessions.start(user)  # a new session id: nothing known before sign-in carries over
            login_user(user)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("staff.password"))
            return redirect(_safe_next(request.args.get("next")))
        if locked is None and user is not None:
            record_failure(user)
            locked = locked_until(user)
        failed = locked is None
    status = 422 if request.method == "POST" else 200
    return render_template("staff/login.html", form=form, failed=failed, locked=locked), status


@bp.before_app_request
def _new_password_first():
    """An account with a temporary password reaches nothing but the password page."""
    if (
        request.path.startswith("/staff/")
        and request.endpoint not in ("staff.password", "staff.logout", "staff.login", "static")
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("staff.password"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (required after ``users create`` and ``reset-password``)."""
    form = PasswordForm()
    change = validate_form(form, PasswordChange)
    if change is not None:
        if not check_password(current_user, change.current):
            form.current.errors.append("当前密码不对，请重新输入。")
        elif change.new != change.repeat:
            form.repeat.errors.append("两次输入的新密码不一样，请重新输入。")
        elif change.new == change.current:
            form.new.errors.append("新密码不能和当前密码相同。")
        elif problem := password_problem(
            change.new, current_user.username, current_user.display_name
        ):
            form.new.errors.append(problem)
        else:
            user = db.session.get(StaffUser, current_user.id)
            user.password_hash = hash_password(change.new)
            user.must_change_password = False
            sessions.end_all(user.id)  # every other browser signed in as this person is out
            sessions.start(user)
            login_user(user)
            audit.record(user.username, "staff.password", "staff_user", user.username)
            db.session.commit()
            flash("密码已修改。其他设备上的登录已退出。", "success")
            return redirect(url_for("staff.day"))
    status = 422 if request.method == "POST" else 200
    forced = current_user.must_change_password
    return render_template("staff/password.html", form=form, forced=forced), status


def _safe_next(target: str | None) -> str:
    """Only paths inside the staff area: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/staff/"):
            return target
    return url_for("staff.day")


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        sessions.end()  # the cookie, even if copied before, no longer opens anything
        logout_user()
        db.session.commit()
        flash("已退出登录。", "success")
    return redirect(url_for("staff.login"))


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


def _day_bookings(window_id: str, day: dt.date) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .join(Slot)
            .where(Booking.window == window_id, Booking.day == day)
            .order_by(Slot.start, Booking.id)
        )
    )


@bp.get("/")
@login_required
def day():
    if current_user.role == DEPARTMENT:  # department staff work on cases, not bookings
        return redirect(url_for("submissions_staff.cases"))
    window = _window_arg()
    day = _date_arg()
    bookings = _day_bookings(window.id, day)
    return render_template(
        "staff/day.html",
        window=window,
        windows=_windows(),
        day=day,
        bookings=bookings,
        items=catalog().items,
        kinds=KIND_LABELS,
        form=EmptyForm(),
        now=clock.now(),
        counts={s: sum(b.status == s for b in bookings) for s in BookingStatus},
        calendar_warning=calendar().coverage_warning(clock.now().date(), for_staff=True),
    )


@bp.post("/bookings/<reference>/<action>")
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
    back = url_for("staff.day", window=booking.window, date=booking.day.isoformat())
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


@bp.get("/assisted")
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
        "staff/assisted.html", queue=queue, items=catalog().items, form=EmptyForm()
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


@bp.get("/export.csv")
@roles_required(HALL)
def export():
    """The day list as CSV, personal data masked (Excel opens UTF-8 with the BOM)."""
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
    return csv_response(name, EXPORT_COLUMNS, (row(b) for b in _day_bookings(window.id, day)))
