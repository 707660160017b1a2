"""Staff pages: evaluations (no evaluator identity for window staff), 差评 follow-ups with the
overdue ones highlighted, each follow-up step audited, and the masked CSV export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, clock
from ..bookings.forms import EmptyForm
from ..catalog_access import catalog
from ..csv_export import csv_response
from ..errors import ActionError
from ..extensions import db
from ..paging import page
from ..privacy import vault
from ..schemas import validate_form
from ..staff.roles import ADMIN, DEPARTMENT, HALL, department_scope, roles_required
from . import staff_bp
from .actions import STEPS, advance, assign
from .forms import FollowUpForm
from .models import Evaluation, FollowUp, FollowUpStatus
from .rules import LEVELS, Channel
from .schemas import FollowUpStep


def _sees_identity() -> bool:
    """Only the responsible department and admins see who evaluated; window staff never do."""
    return current_user.role in (DEPARTMENT, ADMIN)


def _evaluations_query():
    query = select(Evaluation).order_by(Evaluation.day.desc(), Evaluation.id.desc())
    if current_user.role == HALL:
        windows = current_user.window_ids()
        if windows:
            query = query.where(Evaluation.window.in_(windows))
    elif current_user.role == DEPARTMENT:
        query = query.where(Evaluation.department == department_scope(current_user))
    level = request.args.get("level")
    if level in {"good", "bad"}:
        query = query.where(Evaluation.level >= 3 if level == "good" else Evaluation.level < 3)
    return query


@staff_bp.get("/")
@roles_required(HALL, DEPARTMENT)
def evaluations():
    return render_template(
        "evaluations/staff_list.html",
        evaluations=page(_evaluations_query()),
        levels=LEVELS,
        windows=catalog().windows,
        items=catalog().items,
        channels={c.value: c.label for c in Channel},
        identity=_sees_identity(),
        level=request.args.get("level"),
        form_for_nav=EmptyForm(),
    )


def _follow_ups_query(state: str | None):
    query = select(FollowUp).join(Evaluation).order_by(FollowUp.due, FollowUp.id)
    scope = department_scope(current_user)
    if scope is not None:
        query = query.where(FollowUp.department == scope)
    open_states = (FollowUpStatus.OPEN, FollowUpStatus.CALLED_BACK, FollowUpStatus.RECTIFIED)
    if state == "open":
        query = query.where(FollowUp.status.in_(open_states))
    elif state == "overdue":
        query = query.where(FollowUp.status.in_(open_states), FollowUp.due < clock.today())
    return query


@staff_bp.get("/follow-ups")
@roles_required(DEPARTMENT)
def follow_ups():
    state = request.args.get("state") or "open"
    return render_template(
        "evaluations/staff_follow_ups.html",
        follow_ups=page(_follow_ups_query(state)),
        state=state,
        today=clock.today(),
        levels=LEVELS,
        departments=catalog().departments,
        windows=catalog().windows,
        form_for_nav=EmptyForm(),
    )


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    found = db.session.get(FollowUp, follow_up_id)
    scope = department_scope(current_user)
    if found is None or (scope is not None and found.department != scope):
        abort(404)
    return found


@staff_bp.get("/follow-ups/<int(max=2147483647):follow_up_id>")
@roles_required(DEPARTMENT)
def follow_up(follow_up_id: int):
    found = _follow_up_or_404(follow_up_id)
    contact = None
    if found.evaluation.contact_cipher:
        contact = vault().decrypt(found.evaluation.contact_cipher)
        audit.record(
            current_user.username,
            "follow_up.view_contact",
            "evaluation",
            found.evaluation.reference,
        )
        db.session.commit()
    return render_template(
        "evaluations/staff_follow_up.html",
        follow_up=found,
        evaluation=found.evaluation,
        contact=contact,
        today=clock.today(),
        levels=LEVELS,
        departments=catalog().departments,
        windows=catalog().windows,
        items=catalog().items,
        form=FollowUpForm(),
        form_for_nav=EmptyForm(),
        is_admin=current_user.role == ADMIN,
    )


@staff_bp.post("/follow-ups/<int(max=2147483647):follow_up_id>/<step>")
@roles_required(DEPARTMENT)
def step(follow_up_id: int, step: str):
    if step not in STEPS:
        abort(404)
    found = _follow_up_or_404(follow_up_id)
    form = FollowUpForm()
    back = url_for("evaluations_staff.follow_up", follow_up_id=follow_up_id)
    done = validate_form(form, FollowUpStep)
    if done is None:
        flash("；".join(m[0] for m in form.errors.values()), "error")
        return redirect(back)
    try:
        advance(found, step, done.text, current_user.username)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(f"已记录{STEPS[step][3]}。", "success")
    return redirect(back)


@staff_bp.post("/follow-ups/<int(max=2147483647):follow_up_id>/assign")
@roles_required(ADMIN)
def reassign(follow_up_id: int):
    """Admins route a follow-up (e.g. an on-site 差评 without item) to a department."""
    found = _follow_up_or_404(follow_up_id)
    back = url_for("evaluations_staff.follow_up", follow_up_id=follow_up_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        assign(found, request.form.get("department") or None, current_user.username)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash("已改派责任部门。", "success")
    return redirect(back)


@staff_bp.get("/export.csv")
@roles_required(HALL, DEPARTMENT)
def export():
    identity = _sees_identity()
    header = ["日期", "渠道", "窗口", "事项", "评价", "不满意的方面", "具体意见", "整改状态"]
    items = catalog().items
    windows = catalog().windows

    def row(e) -> list:
        cells = [
            e.day.isoformat(),
            Channel(e.channel).label,
            windows[e.window].name if e.window in windows else e.window or "",
            items[e.item].name if e.item in items else e.item or "",
            LEVELS[e.level],
            "、".join(e.label_list),
            e.reason or "",
            e.follow_up.status_enum.label if e.follow_up else "",
        ]
        return cells + ([e.reference, e.contact_masked or "匿名"] if identity else [])

    return csv_response(
        "evaluations.csv",
        header + (["评价编号", "联系电话"] if identity else []),
        (row(e) for e in db.session.scalars(_evaluations_query())),
    )
