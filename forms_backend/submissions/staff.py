"""Staff pages for submission cases: the department's list, a case, 受理 / 退回补正 / 办结 /
不予受理 / 不予许可, 改派 (administrators), the uploaded files, and the masked CSV export.
Department staff see their own department only."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, TextAreaField

from catalog import FieldType

from .. import audit, clock
from ..bookings.forms import EmptyForm
from ..catalog_access import catalog
from ..csv_export import csv_response
from ..errors import ActionError
from ..extensions import db
from ..paging import page
from ..privacy import mask_id_number, mask_phone
from ..schemas import validate_form
from ..staff.roles import ADMIN, DEPARTMENT, department_scope, roles_required
from ..uploads import read_stored, stored_path
from . import staff_bp
from .actions import ACTIONS, change_case, history, reroute_case, values_of
from .intake import submission_spec
from .models import CASE_LABELS, Case, CaseStatus, Submission, SubmissionFile
from .schemas import CaseAction, CaseReroute


class CaseActionForm(FlaskForm):
    """Carries CSRF for the case's action forms; ``CaseAction`` checks the reason."""

    reason = TextAreaField("原因")


class RerouteForm(FlaskForm):
    """改派 (administrators); ``CaseReroute`` checks it."""

    department = SelectField("改派到", choices=[], validate_choice=False)
    reason = TextAreaField("改派原因（选填）")


def _cases_query(status: str | None):
    query = select(Case).join(Submission).order_by(Submission.created_at, Case.id)
    scope = department_scope(current_user)
    if scope is not None:
        query = query.where(Case.department == scope)
    elif request.args.get("department"):  # admins may narrow to one department
        query = query.where(Case.department == request.args["department"])
    if status:
        query = query.where(Case.status == status)
    return query


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    scope = department_scope(current_user)
    if case is None or (scope is not None and case.department != scope):
        abort(404)
    return case


def _status_arg() -> str | None:
    status = request.args.get("status") or None
    return status if status in {s.value for s in CaseStatus} else None


@staff_bp.get("/")
@roles_required(DEPARTMENT)
def cases():
    status = _status_arg()
    return render_template(
        "submissions/staff_cases.html",
        cases=page(_cases_query(status)),
        status=status,
        labels=CASE_LABELS,
        items=catalog().items,
        departments=catalog().departments,
        scope=department_scope(current_user),
        today=clock.today(),
        form_for_nav=EmptyForm(),
    )


def visible_files(submission: Submission) -> list[SubmissionFile]:
    """The files this user may open: a department sees only the files that one of its own
    cases needs (the catalog says which items need each material); admins see all. A file
    the catalog no longer places is for admins only."""
    scope = department_scope(current_user)
    if scope is None:
        return list(submission.files)
    spec = submission_spec(submission)
    needed_by = {u.key: set(u.items) for u in spec.uploads} if spec else {}
    own_items = {c.item for c in submission.cases if c.department == scope}
    return [f for f in submission.files if needed_by.get(f.upload_key, set()) & own_items]


def _display_values(submission: Submission) -> list[tuple[str, str]]:
    """Label → value for the staff page; ID numbers and phones shown masked."""
    values = values_of(submission)
    spec = submission_spec(submission)
    fields = {f.key: f for f in spec.fields} if spec else {}  # else: the stored keys
    shown = []
    for key, value in values.items():
        form_field = fields.get(key)
        label = form_field.label if form_field else key
        if form_field and form_field.type is FieldType.ID_NUMBER:
            value = mask_id_number(value)
        elif form_field and form_field.type is FieldType.PHONE:
            value = mask_phone(value)
        shown.append((label, value))
    return shown


@staff_bp.get("/cases/<int(max=2147483647):case_id>")
@roles_required(DEPARTMENT)
def case(case_id: int):
    found = _case_or_404(case_id)
    return render_template(
        "submissions/staff_case.html",
        case=found,
        submission=found.submission,
        values=_display_values(found.submission),
        files=visible_files(found.submission),
        history=history(found.submission.reference),
        items=catalog().items,
        departments=catalog().departments,
        form=CaseActionForm(),
        reroute=_reroute_form(found) if department_scope(current_user) is None else None,
        closed=found.closed,
        form_for_nav=EmptyForm(),
    )


def _reroute_form(case: Case) -> RerouteForm:
    form = RerouteForm()
    form.department.choices = [
        (d.id, d.name) for d in catalog().departments.values() if d.id != case.department
    ]
    return form


@staff_bp.post("/cases/<int(max=2147483647):case_id>/reroute")
@roles_required(ADMIN)
def reroute(case_id: int):
    """改派: the case moves to another department, which sees it in its list from now on."""
    found = _case_or_404(case_id)
    back = url_for("submissions_staff.case", case_id=case_id)
    done = validate_form(_reroute_form(found), CaseReroute)
    if done is None:
        flash("请从列表中选择要改派到的部门，原因最多 1000 个字；请刷新页面后重试。", "error")
        return redirect(back)
    departments = catalog().departments
    try:
        reroute_case(
            found, done.department, current_user.username, done.reason or None, departments
        )
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(
            f"办件 {found.submission.reference} 已改派到{departments[done.department].name}。",
            "success",
        )
    return redirect(back)


@staff_bp.post("/cases/<int(max=2147483647):case_id>/<action>")
@roles_required(DEPARTMENT)
def act(case_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    found = _case_or_404(case_id)
    form = CaseActionForm()
    back = url_for("submissions_staff.case", case_id=case_id)
    done = validate_form(form, CaseAction)
    if done is None:
        flash("；".join(m[0] for m in form.errors.values()) or "请刷新页面后重试。", "error")
        return redirect(back)
    item = catalog().items.get(found.item)
    promised = item.time_limit.promised_days if item else 0
    try:
        change_case(found, action, current_user.username, done.reason or None, promised)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash(
            f"办件 {found.submission.reference}（{item.name if item else found.item}）已{ACTIONS[action][2]}。",
            "success",
        )
    return redirect(back)


@staff_bp.get("/files/<int(max=2147483647):file_id>")
@roles_required(DEPARTMENT)
def download(file_id: int):
    stored = db.session.get(SubmissionFile, file_id)
    if stored is None:
        abort(404)
    submission = db.session.get(Submission, stored.submission_id)
    if stored not in visible_files(submission):  # another department's material
        abort(404)
    if not stored_path(stored.stored_name).is_file():
        abort(404)
    content = read_stored(stored.stored_name)
    audit.record(
        current_user.username, "file.download", "submission", submission.reference, stored.label
    )
    db.session.commit()
    return send_file(
        io.BytesIO(content),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.filename,
    )


EXPORT_COLUMNS = [
    "申报编号",
    "提交时间",
    "事项",
    "办理部门",
    "申请人",
    "联系手机",
    "状态",
    "承诺办结",
    "退回原因",
    "不予受理或不予许可理由",
]


@staff_bp.get("/export.csv")
@roles_required(DEPARTMENT)
def export():
    items = catalog().items
    departments = catalog().departments
    rows = (
        [
            c.submission.reference,
            c.submission.created_at.strftime("%Y-%m-%d %H:%M"),
            items[c.item].name if c.item in items else c.item,
            departments[c.department].short_name if c.department in departments else c.department,
            c.submission.applicant_masked,
            c.submission.phone_masked,
            c.status_enum.label,
            c.due.isoformat() if c.due else "",
            c.return_reason or "",
            c.refusal_reason or "",
        ]
        for c in db.session.scalars(_cases_query(_status_arg()))
    )
    return csv_response("submission-cases.csv", EXPORT_COLUMNS, rows)
