"""Staff pages: sign in, change one's password, sign out, and the start page (each feature's
staff pages live in that feature's ``staff.py``). Every page but login needs a signed-in
staff account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from .. import audit
from ..bookings.forms import EmptyForm
from ..extensions import db, limiter, the_request
from ..schemas import validate_form
from . import bp, sessions
from .auth import check_password, hash_password, locked_until, record_failure, record_success
from .forms import LoginForm, PasswordForm
from .models import StaffUser
from .passwords import password_problem
from .roles import DEPARTMENT
from .schemas import LoginRequest, PasswordChange


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
        the_request().path.startswith("/staff/")
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
            return redirect(url_for("staff.home"))
    status = 422 if request.method == "POST" else 200
    forced = current_user.must_change_password
    return render_template("staff/password.html", form=form, forced=forced), status


def _safe_next(target: str | None) -> str:
    """Only paths inside the staff area: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/staff/"):
            return target
    return url_for("staff.home")


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        sessions.end()  # the cookie, even if copied before, no longer opens anything
        logout_user()
        db.session.commit()
        flash("已退出登录。", "success")
    return redirect(url_for("staff.login"))


@bp.get("/")
@login_required
def home():
    """The staff start page: department staff work on cases, everyone else on the day list."""
    if current_user.role == DEPARTMENT:
        return redirect(url_for("submissions_staff.cases"))
    return redirect(url_for("bookings_staff.day", **request.args))
