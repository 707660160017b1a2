"""Staff pages: the 悉心听 inbox (hall staff and admins; department staff for their own items),
reply, masked CSV export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..bookings.forms import EmptyForm
from ..catalog_access import catalog
from ..csv_export import csv_response
from ..extensions import db
from ..paging import page
from ..privacy import vault
from ..schemas import validate_form
from ..staff.roles import DEPARTMENT, HALL, roles_required
from . import staff_bp
from .actions import reply_to
from .forms import ReplyForm
from .models import KIND_LABELS, Feedback, Kind, Status
from .schemas import ReplyRequest


def _query():
    query = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc())
    if current_user.role == DEPARTMENT:
        query = query.where(Feedback.department == current_user.department)
    status = request.args.get("status")
    if status in {s.value for s in Status}:
        query = query.where(Feedback.status == status)
    kind = request.args.get("kind")
    if kind in {k.value for k in Kind}:
        query = query.where(Feedback.kind == kind)
    return query


@staff_bp.get("/")
@roles_required(HALL, DEPARTMENT)
def inbox():
    return render_template(
        "feedback/staff_inbox.html",
        messages=page(_query()),
        kinds=KIND_LABELS,
        status=request.args.get("status"),
        items=catalog().items,
        form_for_nav=EmptyForm(),
    )


def _found(feedback_id: int) -> Feedback:
    found = db.session.get(Feedback, feedback_id)
    if found is None or (
        current_user.role == DEPARTMENT and found.department != current_user.department
    ):
        abort(404)
    return found


@staff_bp.route("/<int(max=2147483647):feedback_id>", methods=["GET", "POST"])
@roles_required(HALL, DEPARTMENT)
def message(feedback_id: int):
    found = _found(feedback_id)
    form = ReplyForm(data={"reply": found.reply or ""})
    answer = validate_form(form, ReplyRequest)
    if answer is not None:
        reply_to(found, answer.reply, current_user.username)
        flash(f"已答复留言 {found.reference}。", "success")
        return redirect(url_for("feedback_staff.message", feedback_id=feedback_id))
    return _page(found, form), (422 if request.method == "POST" else 200)


@staff_bp.post("/<int(max=2147483647):feedback_id>/contact")
@roles_required(HALL, DEPARTMENT)
def contact(feedback_id: int):
    """Show the full phone once, on purpose (a button), and audit it; the page masks it."""
    found = _found(feedback_id)
    if not EmptyForm().validate_on_submit() or not found.contact_cipher:
        return redirect(url_for("feedback_staff.message", feedback_id=feedback_id))
    audit.record(current_user.username, "feedback.view_contact", "feedback", found.reference)
    db.session.commit()
    form = ReplyForm(data={"reply": found.reply or ""})
    return _page(found, form, vault().decrypt(found.contact_cipher))


def _page(found: Feedback, form: ReplyForm, contact: str | None = None) -> str:
    return render_template(
        "feedback/staff_message.html",
        feedback=found,
        contact=contact,
        items=catalog().items,
        windows=catalog().windows,
        form=form,
        form_for_nav=EmptyForm(),
    )


@staff_bp.get("/export.csv")
@roles_required(HALL, DEPARTMENT)
def export():
    header = ["留言编号", "时间", "类别", "内容", "事项", "称呼", "联系电话", "状态", "答复"]
    items = catalog().items
    rows = (
        [
            f.reference,
            f.created_at.strftime("%Y-%m-%d %H:%M"),
            f.kind_enum.label,
            f.content,
            items[f.item].name if f.item in items else f.item or "",
            f.name_masked or "",
            f.contact_masked or "",
            f.status_enum.label,
            f.reply or "",
        ]
        for f in db.session.scalars(_query())
    )
    return csv_response("feedback.csv", header, rows)
