"""The audit log page for administrators: every staff action, newest first, filterable."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from .audit import AuditEntry
from .bookings.forms import EmptyForm
from .paging import page
from .staff.roles import ADMIN, roles_required

bp = Blueprint("audit_staff", __name__, url_prefix="/staff/audit", template_folder="templates")


@bp.get("/")
@roles_required(ADMIN)
def entries():
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    actor = request.args.get("actor", "").strip()
    subject = request.args.get("subject", "").strip().upper()
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if subject:
        query = query.where(AuditEntry.subject_ref.like(f"{subject}%"))
    return render_template(
        "audit_log.html",
        entries=page(query),
        actor=actor,
        subject=subject,
        form_for_nav=EmptyForm(),
    )


def init_app(app) -> None:
    app.register_blueprint(bp)
