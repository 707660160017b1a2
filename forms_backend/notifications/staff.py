"""发送记录 (staff): every message with its masked phone, status and attempts, paginated."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from ..bookings.forms import EmptyForm
from ..paging import page
from ..staff.roles import ADMIN, HALL, roles_required
from . import staff_bp
from .models import STATUS_LABELS, MessageStatus, OutboxMessage
from .texts import label


@staff_bp.get("/")
@roles_required(HALL, ADMIN)
def log():
    status = request.args.get("status") or ""
    subject = (request.args.get("reference") or "").strip().upper()[:20]
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in MessageStatus}:
        query = query.where(OutboxMessage.status == status)
    else:
        status = ""
    if subject:
        query = query.where(OutboxMessage.subject == subject)
    pagination = page(query)
    return render_template(
        "notifications/staff_log.html",
        pagination=pagination,
        status=status,
        reference=subject,
        statuses=STATUS_LABELS,
        label=label,
        form_for_nav=EmptyForm(),
    )
